// readAwsSecrets / readAzureSecrets / readInfisicalSecrets (keyward import --from …) through the
// real SDKs against the local fakes, with small pages so that paging is followed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAwsSecrets } from "../../src/providers/aws/index.js";
import { readAzureSecrets, type AzureProviderConfig } from "../../src/providers/azure/index.js";
import { readInfisicalSecrets, type InfisicalProviderConfig } from "../../src/providers/infisical/index.js";
import { startFakeAwsSecretsManager, type FakeAwsSecretsManager } from "../fixtures/aws-secrets-manager.js";
import { startFakeAzureKeyVault, type FakeAzureKeyVault } from "../fixtures/azure-key-vault.js";
import { startFakeInfisical, type FakeInfisical } from "../fixtures/infisical-server.js";
import { failureOf, signal } from "./provider-test-support.js";

let aws: FakeAwsSecretsManager;
let azure: FakeAzureKeyVault;
let infisical: FakeInfisical;
beforeAll(async () => {
  [aws, azure, infisical] = await Promise.all([startFakeAwsSecretsManager(), startFakeAzureKeyVault(), startFakeInfisical()]);
});
afterAll(async () => {
  await Promise.all([aws?.close(), azure?.close(), infisical?.close()]);
});

describe("readAwsSecrets", () => {
  const config = () => ({ region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials });

  it("lists every secret under the prefix page by page and reads the values in batches", async () => {
    for (let i = 0; i < 5; i++) aws.put(`apps/billing/key-${i}`, `value-${i}`);
    aws.put("apps/other/key", "not-mine");
    aws.put("apps/billing/bin", Buffer.from([1, 2, 3]));
    aws.calls.length = 0;
    const got = await readAwsSecrets(config(), { prefix: "apps/billing/", signal: signal(), pageSize: 2 });
    expect(got.map((s) => s.name)).toEqual([0, 1, 2, 3, 4].map((i) => `apps/billing/key-${i}`).concat("apps/billing/bin"));
    expect(got[0]!.value).toBe("value-0");
    expect(got.at(-1)!.value).toBe(Buffer.from([1, 2, 3]).toString("base64"));
    expect(aws.calls.filter((c) => c === "ListSecrets")).toHaveLength(3);
    expect(aws.calls).toContain("BatchGetSecretValue");
  });

  it("falls back to GetSecretValue when BatchGetSecretValue is refused, and fails naming a refused secret", async () => {
    aws.put("fallback/a", "va");
    aws.refuseBatch(true);
    try {
      expect(await readAwsSecrets(config(), { prefix: "fallback/", signal: signal() })).toEqual([{ name: "fallback/a", value: "va" }]);
    } finally {
      aws.refuseBatch(false);
    }
    aws.put("locked/a", "locked-value-77");
    aws.deny("locked/a");
    const e = await failureOf(readAwsSecrets(config(), { prefix: "locked/", signal: signal() }));
    expect(e.reason).toBe("permission_denied");
    expect(e.message).toContain("locked/a");
    expect(e.message).not.toContain("locked-value-77");
  });

  it("maps refused credentials, a refused ListSecrets and a bad page size", async () => {
    const bad = await failureOf(readAwsSecrets({ ...config(), credentials: { accessKeyId: aws.credentials.accessKeyId, secretAccessKey: "wrong-secret-key-1" } }, { signal: signal() }));
    expect(bad.reason).toBe("unauthenticated");
    expect(bad.message).not.toContain("wrong-secret-key-1");
    aws.refuseList(true);
    try {
      expect((await failureOf(readAwsSecrets(config(), { signal: signal() }))).reason).toBe("permission_denied");
    } finally {
      aws.refuseList(false);
    }
    expect((await failureOf(readAwsSecrets(config(), { signal: signal(), pageSize: 0 }))).reason).toBe("invalid_config");
  });
});

describe("readAzureSecrets", () => {
  const config = (extra: Partial<AzureProviderConfig> = {}): AzureProviderConfig => ({
    vaultUrl: azure.vaultUrl,
    clientSecret: { tenantId: azure.tenantId, clientId: azure.clientId, clientSecret: azure.clientSecret, authorityHost: azure.authorityHost },
    http: { tlsOptions: { ca: azure.ca }, disableChallengeResourceVerification: true },
    ...extra,
  });

  it("follows nextLink across pages, leaves out disabled secrets and reads the current versions", async () => {
    for (let i = 0; i < 5; i++) azure.put(`key-${i}`, `azure-value-${i}`);
    azure.put("key-1", "azure-value-1-newer");
    azure.put("retired", "old");
    azure.disable("retired");
    azure.calls.length = 0;
    const got = await readAzureSecrets(config(), { signal: signal(), pageSize: 2 });
    expect(got).toEqual([
      { name: "key-0", value: "azure-value-0" },
      { name: "key-1", value: "azure-value-1-newer" },
      { name: "key-2", value: "azure-value-2" },
      { name: "key-3", value: "azure-value-3" },
      { name: "key-4", value: "azure-value-4" },
    ]);
    expect(azure.calls.filter((c) => c === "GET /secrets")).toHaveLength(3);
    expect(azure.calls).not.toContain("GET /secrets/retired");
  });

  it("fails on a refused client secret, a refused list and a secret it may not read, never quoting them", async () => {
    const wrong = "wrong-azure-client-secret-5";
    const bad = await failureOf(readAzureSecrets(config({ clientSecret: { tenantId: azure.tenantId, clientId: azure.clientId, clientSecret: wrong, authorityHost: azure.authorityHost } }), { signal: signal() }));
    expect(bad.reason).toBe("unauthenticated");
    expect(bad.message).not.toContain(wrong);
    azure.refuseList(true);
    try {
      expect((await failureOf(readAzureSecrets(config(), { signal: signal() }))).reason).toBe("permission_denied");
    } finally {
      azure.refuseList(false);
    }
    azure.put("locked", "locked-azure-value");
    azure.deny("locked");
    const denied = await failureOf(readAzureSecrets(config(), { signal: signal() }));
    expect(denied.reason).toBe("permission_denied");
    expect(denied.message).toContain("locked");
    expect(denied.message).not.toContain("locked-azure-value");
    azure.remove("locked");
  });
});

describe("readInfisicalSecrets", () => {
  const config = (extra: Partial<InfisicalProviderConfig> = {}): InfisicalProviderConfig => ({
    siteUrl: infisical.siteUrl,
    clientId: infisical.clientId,
    clientSecret: infisical.clientSecret,
    projectId: infisical.projectId,
    environment: infisical.environment,
    ...extra,
  });

  it("lists the folder's own secrets with their values (not the imported ones)", async () => {
    infisical.put("/apps/billing/STRIPE_KEY", "inf-stripe");
    infisical.put("/apps/billing/db-url", "inf-db");
    infisical.put("/shared/SHARED_ONE", "inf-shared");
    infisical.importFolder("/apps/billing", "/shared");
    const got = await readInfisicalSecrets(config({ secretPath: "/apps/billing" }), { signal: signal() });
    expect(got).toEqual([
      { key: "STRIPE_KEY", value: "inf-stripe" },
      { key: "db-url", value: "inf-db" },
    ]);
  });

  it("maps a refused login, a missing folder and a hidden value", async () => {
    const bad = await failureOf(readInfisicalSecrets(config({ clientSecret: "wrong-infisical-secret-3" }), { signal: signal() }));
    expect(bad.reason).toBe("unauthenticated");
    expect(bad.message).not.toContain("wrong-infisical-secret-3");
    expect((await failureOf(readInfisicalSecrets(config({ secretPath: "/nowhere" }), { signal: signal() }))).reason).toBe("invalid_config");
    infisical.put("/hidden/A_KEY", "hidden-value-9");
    infisical.deny("/hidden/A_KEY");
    const hidden = await failureOf(readInfisicalSecrets(config({ secretPath: "/hidden" }), { signal: signal() }));
    expect(hidden.reason).toBe("permission_denied");
    expect(hidden.message).toContain("A_KEY");
    expect(hidden.message).not.toContain("hidden-value-9");
  });
});
