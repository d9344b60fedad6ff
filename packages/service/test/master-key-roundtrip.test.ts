import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient } from "@keyward/secrets";
import { adminApi, baseEnv, closedPort, startCli, tmpDir } from "./helpers.js";
import { startAzureFake, type AzureFake } from "./fixtures/azure-key-vault-fake.js";
import { startKmsFake, type KmsFake } from "./fixtures/kms-fake.js";
import { startVaultFake, type VaultFake } from "./fixtures/vault-fake.js";

let kms: KmsFake;
let vault: VaultFake;
let azure: AzureFake;
beforeAll(async () => {
  kms = await startKmsFake();
  kms.createKey("keyward-master");
  vault = await startVaultFake();
  vault.createKey("keyward-master");
  azure = await startAzureFake(tmpDir("kw-azure-"));
  azure.createKey("keyward-master");
});
afterAll(async () => {
  await kms?.close();
  await vault?.close();
  await azure?.close();
});

const schema = { properties: { PAYMENT_KEY: { description: "Payment provider key" } } } as const;

/**
 * Starts the real service with `env`, sets a value through the admin API, restarts it, and reads
 * the value over gRPC as an approved service. Returns everything the processes printed.
 */
async function roundTrip(env: NodeJS.ProcessEnv, value: string): Promise<string> {
  const dataDir = tmpDir("kw-cmk-");
  const first = await startCli(["--data-dir", dataDir], env);
  const token = "kws_" + randomBytes(32).toString("base64url");
  try {
    const admin = adminApi(first.admin, first.bootstrapToken!);
    const client = createSecretsClient(schema, { url: first.grpc, token, serviceName: "billing" });
    await client.register();
    const pending = await admin("GET", "/api/service-tokens?status=pending");
    await admin("POST", `/api/service-tokens/${pending.items[0].id}/approve`);
    await client.getSecret("PAYMENT_KEY").catch(() => undefined);
    await admin("PUT", "/api/secrets/PAYMENT_KEY/value", { value });
    const requests = await admin("GET", "/api/access-requests?status=pending");
    await admin("POST", `/api/access-requests/${requests.items[0].id}/approve`);
    client.close();
  } finally {
    expect(await first.stop()).toBe(0);
  }
  const second = await startCli(["--data-dir", dataDir], env);
  try {
    const client = createSecretsClient(schema, { url: second.grpc, token, serviceName: "billing" });
    expect(await client.getSecret("PAYMENT_KEY")).toBe(value);
    client.close();
  } finally {
    await second.stop();
  }
  return first.output() + second.output();
}

/** The service's environment for the Azure Key Vault fake, with the client secret it signs in with. */
const azureEnv = (clientSecret: string): NodeJS.ProcessEnv => ({
  ...baseEnv(),
  NODE_EXTRA_CA_CERTS: azure.caFile,
  NODE_OPTIONS: `--import ${azure.dnsPreload}`,
  KEYWARD_MASTER_KEY_SOURCE: "azure-key-vault",
  KEYWARD_AZURE_KEY_ID: `${azure.vaultUrl}/keys/keyward-master`,
  AZURE_TENANT_ID: azure.tenantId,
  AZURE_CLIENT_ID: azure.clientId,
  AZURE_CLIENT_SECRET: clientSecret,
  AZURE_AUTHORITY_HOST: azure.authorityHost,
});

describe("the service with a customer-managed master key (spawned, restarted, read over gRPC)", () => {
  it("aws-kms", async () => {
    const value = "pk_kms_" + randomBytes(12).toString("hex");
    const output = await roundTrip(
      {
        ...baseEnv(),
        KEYWARD_MASTER_KEY_SOURCE: "aws-kms",
        KEYWARD_AWS_KMS_KEY_ID: "alias/keyward-master",
        KEYWARD_AWS_KMS_ENDPOINT: kms.endpoint,
        AWS_REGION: kms.region,
        AWS_ACCESS_KEY_ID: kms.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: kms.credentials.secretAccessKey,
      },
      value,
    );
    expect(output).toMatch(/aws-kms key arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]+ at http:\/\/127\.0\.0\.1:\d+ \(mk_[0-9a-f]{16}\)/);
    for (const secret of [value, kms.credentials.secretAccessKey]) expect(output).not.toContain(secret);
    expect(kms.refused).toBe(0);
  });

  it("vault-transit", async () => {
    const value = "pk_vault_" + randomBytes(12).toString("hex");
    const output = await roundTrip({ ...baseEnv(), KEYWARD_MASTER_KEY_SOURCE: "vault-transit", VAULT_ADDR: vault.address, VAULT_TOKEN: vault.token, KEYWARD_VAULT_TRANSIT_KEY: "keyward-master" }, value);
    expect(output).toContain("vault-transit key transit/keyward-master at " + vault.address);
    for (const secret of [value, vault.token]) expect(output).not.toContain(secret);
  });

  it("azure-key-vault (HTTPS, bearer challenge, client-credentials token)", async () => {
    const value = "pk_azure_" + randomBytes(12).toString("hex");
    const output = await roundTrip(
      azureEnv(azure.clientSecret),
      value,
    );
    expect(output).toContain(`azure-key-vault key ${azure.vaultUrl}/keys/keyward-master (mk_`);
    for (const secret of [value, azure.clientSecret]) expect(output).not.toContain(secret);
    expect(azure.calls.some((c) => /POST kv\.localhost \/keys\/keyward-master\/[0-9a-f]{32}\/unwrapkey/.test(c))).toBe(true);
  });

  it("refuses to start when the external key is unreachable or the credentials are wrong, naming the source", async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const env = { ...baseEnv(), KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_ADDR: down, KEYWARD_VAULT_TOKEN: vault.token, KEYWARD_VAULT_TRANSIT_KEY: "keyward-master" };
    const refused = await startCli(["--data-dir", tmpDir()], env).then(
      async (svc) => `started: ${svc.output()}${await svc.stop()}`,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(new RegExp(`vault-transit key transit/keyward-master at ${down.replace(/\./g, "\\.")} \\(mk_[0-9a-f]{16}\\)\\) could not wrap KEK kek_[0-9a-f]{16}: Vault at .* is unreachable \\(ECONNREFUSED\\)`));
    expect(refused).not.toContain(vault.token);

    const wrongSecret = randomBytes(24).toString("base64url");
    const azureRefused = await startCli(["--data-dir", tmpDir()], azureEnv(wrongSecret)).then(
      async (svc) => `started: ${svc.output()}${await svc.stop()}`,
      (e: Error) => e.message,
    );
    expect(azureRefused).toMatch(/azure-key-vault key https:\/\/kv\.localhost:\d+\/keys\/keyward-master \(mk_[0-9a-f]{16}\)\) could not wrap KEK kek_[0-9a-f]{16}: .*(invalid_client|AADSTS7000215)/);
    expect(azureRefused).not.toContain(wrongSecret);
  });
});
