// The Azure provider against the local Key Vault and Entra ID, for azure.test.ts and the provider contract.
import { createAzureProvider, type AzureProviderConfig } from "../../src/providers/azure/index.js";
import type { FakeAzureKeyVault } from "../fixtures/azure-key-vault.js";

export function configFor(fake: FakeAzureKeyVault, extra: Partial<AzureProviderConfig> = {}): AzureProviderConfig {
  return {
    vaultUrl: fake.vaultUrl,
    clientSecret: { tenantId: fake.tenantId, clientId: fake.clientId, clientSecret: fake.clientSecret, authorityHost: fake.authorityHost },
    // The fake serves on 127.0.0.1, which is not a subdomain of the challenge's vault.azure.net.
    http: { tlsOptions: { ca: fake.ca }, disableChallengeResourceVerification: true },
    ...extra,
  };
}

/** A provider signed in with the fake's client secret, and the knobs of the store behind it. */
export function setupAzure(fake: FakeAzureKeyVault, extra: Partial<AzureProviderConfig> = {}) {
  const provider = createAzureProvider(configFor(fake, extra));
  return {
    provider,
    put: (path: string, value: string) => void fake.put(path, value),
    remove: (path: string) => fake.remove(path),
    deny: (path: string) => fake.deny(path),
    throttleNext: (n: number) => fake.throttleNext(n),
    breakNext: (n: number) => fake.breakNext(n),
  };
}
