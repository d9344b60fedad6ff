import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadPeerSdk } from "../peer-sdk.js";
import type { AwsProviderConfig } from "./config.js";

/** The Secrets Manager SDK, loaded when first needed (an optional peer dependency). */
export const awsSdk = () => loadPeerSdk<typeof import("@aws-sdk/client-secrets-manager")>("@aws-sdk/client-secrets-manager", "aws");

/** The SDK client for a validated config, with the SDK's own retries off: callers retry. */
export function awsClient(config: AwsProviderConfig): SecretsManagerClient {
  const { SecretsManagerClient } = awsSdk();
  return new SecretsManagerClient({
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    maxAttempts: 1,
  });
}
