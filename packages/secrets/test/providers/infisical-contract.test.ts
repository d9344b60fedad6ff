// The provider contract for Infisical: the real @infisical/sdk (universal auth) against the local
// Infisical. The SDK retries a 429 itself (1, 2, 4, 8 s) and cannot be told not to, so the
// throttling cases take real seconds here.
import { startFakeInfisical } from "../fixtures/infisical-server.js";
import { describeProviderContract } from "./contract.js";
import { setupInfisical } from "./infisical-setup.js";

describeProviderContract("infisical", async ({ naming }) => {
  const fake = await startFakeInfisical();
  const store = setupInfisical(fake);
  await store.provider.close();
  const refusedSecret = "refused-infisical-secret-contract";
  return {
    provider: () => setupInfisical(fake, naming ? { naming } : {}).provider,
    put: store.put,
    remove: store.remove,
    deny: store.deny,
    throttleNext: store.throttleNext,
    breakNext: store.breakNext,
    sdkRetriesThrottling: true,
    healthState(state) {
      // Listing throttled past the SDK's retries: degraded; answering 500: unavailable.
      fake.throttleNext(state === "degraded" ? 1000 : 0);
      fake.breakNext(state === "unavailable" ? 1000 : 0);
    },
    // Default rule: the schema name as is, a key in the folder "/".
    pathOf: (name) => name,
    namingExamples: {
      template: { rule: { template: "/apps/billing/{name}", case: "kebab" }, apiKeyPath: "/apps/billing/api-key" },
      custom: { rule: (n) => `/custom/${n.toLowerCase()}`, dbPasswordPath: "/custom/db_password" },
    },
    badCredentials: () => ({ provider: setupInfisical(fake, { clientSecret: refusedSecret }).provider, credential: refusedSecret }),
    credentials: [fake.clientSecret],
    close: () => fake.close(),
  };
});
