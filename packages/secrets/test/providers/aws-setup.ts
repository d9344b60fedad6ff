// The AWS provider against the local Secrets Manager, for aws.test.ts and the provider contract.
import { createAwsProvider, type AwsProviderConfig } from "../../src/providers/aws/index.js";
import type { FakeAwsSecretsManager } from "../fixtures/aws-secrets-manager.js";

/** A provider signed with the fake's credentials, and the knobs of the store behind it. */
export function setupAws(fake: FakeAwsSecretsManager, extra: Partial<AwsProviderConfig> = {}) {
  const provider = createAwsProvider({ region: fake.region, endpoint: fake.endpoint, credentials: fake.credentials, ...extra });
  return {
    provider,
    put: (path: string, value: string) => fake.put(path, value),
    remove: (path: string) => fake.remove(path),
    deny: (path: string) => fake.deny(path),
    throttleNext: (n: number) => fake.throttleNext(n),
    breakNext: (n: number) => fake.breakNext(n),
  };
}
