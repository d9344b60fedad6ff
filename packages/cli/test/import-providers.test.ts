// keyward import --from aws|azure|infisical against the fakes of @keyward/secrets (real SDKs, real
// wire APIs: SigV4 JSON 1.1, Key Vault REST over HTTPS with Entra ID, Infisical's REST) and a real
// service. Every run asserts that no value and no credential reaches stdout or stderr.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { readAwsImport } from "../src/import/from-aws.js";
import { readAzureImport } from "../src/import/from-azure.js";
import { readInfisicalImport } from "../src/import/from-infisical.js";
import { startFakeAwsSecretsManager, type FakeAwsSecretsManager } from "../../secrets/test/fixtures/aws-secrets-manager.js";
import { startFakeAzureKeyVault, type FakeAzureKeyVault } from "../../secrets/test/fixtures/azure-key-vault.js";
import { startFakeInfisical, type FakeInfisical } from "../../secrets/test/fixtures/infisical-server.js";
import { cliEnv, runCli, tmpDir, useService, type CliResult } from "./harness.js";

const sut = useService();
const value = (tag: string) => `${tag}_${randomBytes(10).toString("hex")}`;
let aws: FakeAwsSecretsManager;
let azure: FakeAzureKeyVault;
let infisical: FakeInfisical;
let caFile: string;
beforeAll(async () => {
  [aws, azure, infisical] = await Promise.all([startFakeAwsSecretsManager(), startFakeAzureKeyVault(), startFakeInfisical()]);
  caFile = path.join(tmpDir(), "azure-ca.crt");
  fs.writeFileSync(caFile, azure.ca);
});
afterAll(async () => {
  await Promise.all([aws?.close(), azure?.close(), infisical?.close()]);
});

async function secret(name: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sut.adminUrl}/api/secrets/${name}?environment=development`, { headers: { authorization: `Bearer ${sut.token}` } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const keyward = (extra: NodeJS.ProcessEnv) => cliEnv({ KEYWARD_URL: sut.adminUrl, KEYWARD_ADMIN_TOKEN: sut.token, ...extra });
const noLeak = (r: CliResult, secrets: string[]) => {
  for (const s of secrets) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
};
/** A store's address that refuses connections. */
async function deadUrl(): Promise<string> {
  const gone = await startFakeAwsSecretsManager();
  await gone.close();
  return gone.endpoint;
}

/**
 * The same story for each store: dry run (no values, nothing written), the import, a re-run that
 * skips, --overwrite after the store changed.
 */
async function importStory(args: string[], env: NodeJS.ProcessEnv, names: string[], values: string[], change: () => void) {
  const dev = ["--environment", "development"];
  const dry = await runCli([...args, ...dev, "--dry-run"], env);
  expect(dry.stderr).toBe("");
  expect(dry.code).toBe(0);
  for (const n of names) expect(dry.stdout).toMatch(new RegExp(`${n}\\s+create`));
  expect(dry.stdout).toContain(`: ${names.length} create; nothing written`);
  noLeak(dry, values);
  for (const n of names) expect((await secret(n)).status).toBe(404);

  const run = await runCli([...args, ...dev], env);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`imported into development: ${names.length} written, 0 held for approval, 0 failed, 0 skipped`);
  noLeak(run, values);
  for (const n of names) expect((await secret(n)).json).toMatchObject({ status: "active", currentVersion: 1 });

  const again = await runCli([...args, ...dev, "--json"], env);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).plan).toEqual(names.map((name) => ({ name, action: "skip-existing" })));

  change();
  const over = await runCli([...args, ...dev, "--overwrite"], env);
  expect(over.code).toBe(0);
  expect(over.stdout).toContain(`${names.length} written`);
  noLeak(over, values);
  for (const n of names) expect((await secret(n)).json).toMatchObject({ currentVersion: 2 });
}

describe("keyward import --from aws", () => {
  const env = (extra: NodeJS.ProcessEnv = {}) =>
    keyward({ AWS_REGION: aws.region, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint, AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey, ...extra });

  it("plans, imports names after the prefix, skips on a re-run and overwrites with --overwrite", async () => {
    const [a, b] = [value("aws_stripe"), value("aws_db")];
    aws.put("apps/billing/stripe-key", a);
    aws.put("apps/billing/db/url", b);
    aws.put("apps/other/ignored", value("other"));
    await importStory(["import", "--from", "aws", "--prefix", "apps/billing/"], env(), ["STRIPE_KEY", "DB_URL"], [a, b, aws.credentials.secretAccessKey], () => {
      aws.put("apps/billing/stripe-key", value("aws_stripe2"));
      aws.put("apps/billing/db/url", value("aws_db2"));
    });
    expect((await secret("STRIPE_KEY")).json.description).toBe("imported from aws:apps/billing/");
  });

  it("follows ListSecrets and BatchGetSecretValue pages, and splits JSON objects with --json-keys", async () => {
    for (let i = 0; i < 105; i++) aws.put(`paged/key-${i}`, `v${i}`);
    aws.setPageSize(7);
    aws.calls.length = 0;
    const dry = await runCli(["import", "--from", "aws", "--prefix", "paged/", "--environment", "development", "--dry-run", "--json"], env());
    aws.setPageSize(20);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).plan).toHaveLength(105);
    expect(aws.calls.filter((c) => c === "ListSecrets")).toHaveLength(2);
    expect(aws.calls.filter((c) => c === "BatchGetSecretValue").length).toBeGreaterThan(6);

    const pw = value("pw");
    aws.put("json/db", JSON.stringify({ url: "postgres://db/app", password: pw, port: 5432 }));
    const split = await runCli(["import", "--from", "aws", "--prefix", "json/", "--json-keys", "--environment", "development", "--dry-run", "--json"], env());
    expect(split.code).toBe(0);
    expect(JSON.parse(split.stdout).plan.map((s: { name: string }) => s.name)).toEqual(["DB_URL", "DB_PASSWORD", "DB_PORT"]);
    noLeak(split, [pw]);
    const whole = await runCli(["import", "--from", "aws", "--prefix", "json/", "--environment", "development", "--dry-run", "--json"], env());
    expect(JSON.parse(whole.stdout).plan).toEqual([{ name: "DB", action: "create" }]);
  });

  it("a name collision or an invalid name is reported all at once and nothing is written", async () => {
    aws.put("clash/db-url", value("c1"));
    aws.put("clash/db_url", value("c2"));
    aws.put("clash/9lives", value("c3"));
    aws.put("clash/FINE_ONE", value("c4"));
    const r = await runCli(["import", "--from", "aws", "--prefix", "clash/", "--environment", "development"], env());
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain("cannot import from AWS Secrets Manager clash/: nothing written");
    expect(r.stderr).toContain("db_url: maps to DB_URL, as db-url does; rename one");
    expect(r.stderr).toContain('9lives: "9LIVES" is not a valid secret name');
    expect((await secret("FINE_ONE")).status).toBe(404);
  });

  it("refused credentials → exit 3, an unreachable endpoint → exit 4, both without the credentials", async () => {
    const wrong = "wrong-aws-secret-access-key-42";
    const refused = await runCli(["import", "--from", "aws", "--prefix", "apps/", "--environment", "development"], env({ AWS_SECRET_ACCESS_KEY: wrong }));
    expect(refused.code).toBe(EXIT.auth);
    expect(refused.stderr).toContain("cannot read from AWS Secrets Manager: AWS Secrets Manager ListSecrets answered 403 InvalidSignatureException");
    noLeak(refused, [wrong, aws.credentials.secretAccessKey]);
    const down = await runCli(["import", "--from", "aws", "--environment", "development"], env({ AWS_ENDPOINT_URL_SECRETS_MANAGER: await deadUrl() }));
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.stderr).toContain("could not be reached");
    expect((await runCli(["import", "--from", "aws", "--region", "mars", "--environment", "development"], env())).code).toBe(EXIT.usage);
  });
});

describe("keyward import --from azure", () => {
  const env = (extra: NodeJS.ProcessEnv = {}) =>
    keyward({
      AZURE_TENANT_ID: azure.tenantId,
      AZURE_CLIENT_ID: azure.clientId,
      AZURE_CLIENT_SECRET: azure.clientSecret,
      AZURE_AUTHORITY_HOST: azure.authorityHost,
      NODE_EXTRA_CA_CERTS: caFile,
      // The fake serves on 127.0.0.1, not on a subdomain of the challenge's vault.azure.net.
      KEYWARD_AZURE_DISABLE_CHALLENGE_VERIFICATION: "true",
      ...extra,
    });
  const args = () => ["import", "--from", "azure", "--vault-url", azure.vaultUrl];

  it("plans, imports kebab-case names as UPPER_SNAKE (leaving out disabled ones), skips on a re-run, overwrites", async () => {
    const [a, b] = [value("az_mail"), value("az_jwt")];
    azure.put("mail-password", a);
    azure.put("jwt-signing-key", b);
    azure.put("old-key", value("old"));
    azure.disable("old-key");
    await importStory(args(), env(), ["MAIL_PASSWORD", "JWT_SIGNING_KEY"], [a, b, azure.clientSecret], () => {
      azure.put("mail-password", value("az_mail2"));
      azure.put("jwt-signing-key", value("az_jwt2"));
    });
    expect((await secret("OLD_KEY")).status).toBe(404);
  });

  it("follows nextLink over pages of 25", async () => {
    for (let i = 0; i < 30; i++) azure.put(`paged-${i}`, `v${i}`);
    azure.calls.length = 0;
    const dry = await runCli([...args(), "--environment", "development", "--dry-run", "--json"], env());
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout).plan as { name: string; action: string }[];
    expect(plan.filter((s) => s.name.startsWith("PAGED_"))).toHaveLength(30);
    expect(azure.calls.filter((c) => c === "GET /secrets").length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 30; i++) azure.remove(`paged-${i}`);
  });

  it("an invalid name is reported and nothing is written", async () => {
    azure.put("1st-key", value("bad"));
    azure.put("fresh-one", value("fresh"));
    const r = await runCli([...args(), "--environment", "development"], env());
    azure.remove("1st-key");
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain('1st-key: "1ST_KEY" is not a valid secret name');
    expect((await secret("FRESH_ONE")).status).toBe(404);
  });

  it("a refused client secret → exit 3, an unreachable vault → exit 4, a bad URL → exit 2", async () => {
    const wrong = "wrong-azure-client-secret-42";
    const refused = await runCli([...args(), "--environment", "development"], env({ AZURE_CLIENT_SECRET: wrong }));
    expect(refused.code).toBe(EXIT.auth);
    expect(refused.stderr).toContain("cannot read from Azure Key Vault: azure provider: Microsoft Entra ID refused the credential");
    noLeak(refused, [wrong, azure.clientSecret]);
    const dead = (await deadUrl()).replace("http:", "https:");
    const down = await runCli(["import", "--from", "azure", "--vault-url", dead, "--environment", "development"], env());
    expect(down.code).toBe(EXIT.unreachable);
    const bad = await runCli(["import", "--from", "azure", "--vault-url", "http://plain.example", "--environment", "development"], env());
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain("vaultUrl: expected an https URL");
  });
});

describe("keyward import --from infisical", () => {
  const env = (extra: NodeJS.ProcessEnv = {}) => keyward({ INFISICAL_CLIENT_ID: infisical.clientId, INFISICAL_CLIENT_SECRET: infisical.clientSecret, INFISICAL_SITE_URL: infisical.siteUrl, ...extra });
  const args = (folder: string) => ["import", "--from", "infisical", "--project", infisical.projectId, "--env", infisical.environment, "--path", folder];

  it("plans, imports one folder's keys, skips on a re-run, overwrites", async () => {
    const [a, b] = [value("inf_smtp"), value("inf_redis")];
    infisical.put("/apps/mail/SMTP_PASSWORD", a);
    infisical.put("/apps/mail/redis-url", b);
    infisical.put("/apps/mail/deeper/NOT_THIS", value("deeper"));
    await importStory(args("/apps/mail"), env(), ["SMTP_PASSWORD", "REDIS_URL"], [a, b, infisical.clientSecret], () => {
      infisical.put("/apps/mail/SMTP_PASSWORD", value("inf_smtp2"));
      infisical.put("/apps/mail/redis-url", value("inf_redis2"));
    });
    expect((await secret("SMTP_PASSWORD")).json.description).toBe("imported from infisical:prod/apps/mail");
  });

  it("a name collision is reported and nothing is written", async () => {
    infisical.put("/clash/API_KEY", value("k1"));
    infisical.put("/clash/api-key", value("k2"));
    infisical.put("/clash/OTHER_FINE", value("k3"));
    const r = await runCli([...args("/clash"), "--environment", "development"], env());
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain("/clash/api-key: maps to API_KEY, as /clash/API_KEY does; rename one");
    expect((await secret("OTHER_FINE")).status).toBe(404);
  });

  it("refused credentials → exit 3, an unreachable site → exit 4, missing flags and variables → exit 2", async () => {
    const wrong = "wrong-infisical-client-secret-42";
    const refused = await runCli([...args("/"), "--environment", "development"], env({ INFISICAL_CLIENT_SECRET: wrong }));
    expect(refused.code).toBe(EXIT.auth);
    expect(refused.stderr).toContain("Infisical refused the universal-auth login (401)");
    noLeak(refused, [wrong, infisical.clientSecret]);
    const down = await runCli([...args("/"), "--environment", "development"], env({ INFISICAL_SITE_URL: await deadUrl() }));
    expect(down.code).toBe(EXIT.unreachable);
    expect((await runCli(["import", "--from", "infisical", "--env", "prod"], env())).stderr).toContain("--from infisical needs --project ID");
    expect((await runCli([...args("/")], env({ INFISICAL_CLIENT_ID: "" }))).code).toBe(EXIT.usage);
    expect((await runCli([...args("/nowhere"), "--environment", "development"], env())).code).toBe(EXIT.usage);
  }, 60_000);
});

describe("a missing SDK", () => {
  const notFound = (pkg: string) => () => Promise.reject(Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/dist/aws.js`), { code: "ERR_MODULE_NOT_FOUND" }));
  it("names the package to install (a usage error, exit 2)", async () => {
    await expect(readAwsImport({}, { prefix: "", region: undefined, jsonKeys: false }, notFound("@aws-sdk/client-secrets-manager") as never)).rejects.toThrow(
      "install @aws-sdk/client-secrets-manager to import from AWS",
    );
    await expect(readAzureImport({}, { vaultUrl: "https://v.vault.azure.net" }, notFound("@azure/identity") as never)).rejects.toThrow(
      "install @azure/keyvault-secrets and @azure/identity to import from Azure Key Vault",
    );
    await expect(readInfisicalImport({ INFISICAL_CLIENT_ID: "a", INFISICAL_CLIENT_SECRET: "b" }, { projectId: "p", environment: "dev", folder: "/" }, notFound("@infisical/sdk") as never)).rejects.toThrow(
      "install @infisical/sdk to import from Infisical",
    );
    // Another module missing is not reported as the SDK.
    await expect(readAwsImport({}, { prefix: "", region: undefined, jsonKeys: false }, notFound("left-pad") as never)).rejects.toThrow("Cannot find package 'left-pad'");
  });
});
