// The provider contract for AWS Secrets Manager: the real SDK against the local SigV4-checking fake.
import { startFakeAwsSecretsManager } from "../fixtures/aws-secrets-manager.js";
import { setupAws } from "./aws-setup.js";
import { describeProviderContract } from "./contract.js";

describeProviderContract("aws", async ({ naming }) => {
  const fake = await startFakeAwsSecretsManager();
  const store = setupAws(fake);
  await store.provider.close();
  const refusedKey = "refused-secret-access-key-contract";
  return {
    provider: () => setupAws(fake, naming ? { naming } : {}).provider,
    put: store.put,
    remove: store.remove,
    deny: store.deny,
    throttleNext: store.throttleNext,
    breakNext: store.breakNext,
    healthState(state) {
      // ListSecrets throttled: degraded; answering 500: unavailable.
      fake.throttleNext(state === "degraded" ? 1000 : 0);
      fake.breakNext(state === "unavailable" ? 1000 : 0);
    },
    // Default rule: the schema name as is.
    pathOf: (name) => name,
    badCredentials: () => ({ provider: setupAws(fake, { credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: refusedKey } }).provider, credential: refusedKey }),
    credentials: [fake.credentials.secretAccessKey],
    close: () => fake.close(),
  };
});
