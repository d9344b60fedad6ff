import { ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { SecretClientOptions } from "@azure/keyvault-secrets";
import type { AzureProviderConfig } from "./config.js";

/** The SDK's HTTP options for a validated config: its `http` settings with the SDK's retries off (callers retry). */
export const azureHttpOptions = (config: AzureProviderConfig): SecretClientOptions => ({ ...config.http, retryOptions: { maxRetries: 0 } });

/**
 * The credential a validated config names: `credential` as given, else the service principal's
 * client secret (a custom authorityHost is trusted as given, without MSAL's instance discovery),
 * else DefaultAzureCredential.
 */
export function azureCredential(config: AzureProviderConfig): TokenCredential {
  if (config.credential !== undefined) return config.credential;
  const http = azureHttpOptions(config);
  if (config.clientSecret === undefined) return new DefaultAzureCredential(http);
  const { tenantId, clientId, clientSecret, authorityHost } = config.clientSecret;
  return new ClientSecretCredential(tenantId, clientId, clientSecret, { ...http, ...(authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: true }) });
}
