// The provider contract for Azure Key Vault: the real SDK and @azure/identity against the local
// HTTPS Key Vault (bearer challenge) and Entra ID (client credentials).
import { startFakeAzureKeyVault } from "../fixtures/azure-key-vault.js";
import { setupAzure } from "./azure-setup.js";
import { describeProviderContract } from "./contract.js";

describeProviderContract("azure", async ({ naming }) => {
  const fake = await startFakeAzureKeyVault();
  const store = setupAzure(fake);
  await store.provider.close();
  const refusedSecret = "refused-client-secret-contract";
  return {
    provider: () => setupAzure(fake, naming ? { naming } : {}).provider,
    put: store.put,
    remove: store.remove,
    deny: store.deny,
    throttleNext: store.throttleNext,
    breakNext: store.breakNext,
    healthState(state) {
      // Listing throttled (429): degraded; answering 503: unavailable.
      fake.throttleNext(state === "degraded" ? 1000 : 0);
      fake.breakNext(state === "unavailable" ? 1000 : 0);
    },
    // Default rule: kebab case, since Key Vault names allow only letters, digits and '-'.
    pathOf: (name) => name.toLowerCase().replaceAll("_", "-"),
    namingExamples: {
      template: { rule: { template: "billing-{name}", case: "kebab" }, apiKeyPath: "billing-api-key" },
      custom: { rule: (n) => `custom-${n.toLowerCase().replaceAll("_", "")}`, dbPasswordPath: "custom-dbpassword" },
    },
    badCredentials: () => ({
      provider: setupAzure(fake, { clientSecret: { tenantId: fake.tenantId, clientId: fake.clientId, clientSecret: refusedSecret, authorityHost: fake.authorityHost } }).provider,
      credential: refusedSecret,
    }),
    credentials: [fake.clientSecret],
    close: () => fake.close(),
  };
});
