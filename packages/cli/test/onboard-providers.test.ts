// keyward onboard --non-interactive with a provider other than Keyward: the Vault fake and the AWS
// Secrets Manager fake (real wire APIs). secrets-client.ts names the provider, package.json gets its
// SDK, no token is made, and the health check is the provider's own.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { startFakeAwsSecretsManager, type FakeAwsSecretsManager } from "../../secrets/test/fixtures/aws-secrets-manager.js";
import { startFakeVault, type FakeVault } from "../../secrets/test/fixtures/vault-server.js";
import { cliEnv, runCli, tmpDir } from "./harness.js";

const KEYWARD_PACKAGES = path.resolve(import.meta.dirname, "../..");
let vault: FakeVault;
let aws: FakeAwsSecretsManager;
beforeAll(async () => {
  [vault, aws] = await Promise.all([startFakeVault(), startFakeAwsSecretsManager()]);
});
afterAll(async () => {
  await Promise.all([vault?.close(), aws?.close()]);
});

function makeApp(name: string): string {
  const dir = tmpDir("kw-onboard-provider-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true }, null, 2));
  return dir;
}
function writeAnswers(answers: unknown): string {
  const file = path.join(tmpDir("kw-onboard-answers-"), "answers.json");
  fs.writeFileSync(file, JSON.stringify(answers));
  return file;
}
const secrets = [
  { name: "STRIPE_API_KEY", description: "Stripe API key", type: "api-key" },
  { name: "SMTP_PASSWORD", description: "Mail relay password" },
];
const onboard = (answers: unknown, env: NodeJS.ProcessEnv) => runCli(["onboard", "--non-interactive", "--answers-file", writeAnswers(answers), "--json"], cliEnv(env));

describe("keyward onboard with provider vault", () => {
  it("writes a Vault client, checks Vault's health and each secret through it; a second run changes nothing", async () => {
    const dir = makeApp("@acme/billing-vault");
    const stripe = `sk_${randomBytes(8).toString("hex")}`;
    vault.put("apps/billing/stripe-api-key", { value: stripe });
    const answers = {
      dir,
      service: "billing-vault",
      environment: "development",
      wireClient: true,
      keywardLink: KEYWARD_PACKAGES,
      provider: { kind: "vault", address: vault.address, template: "apps/billing/{name}", case: "kebab" },
      secrets,
    };
    const env = { VAULT_TOKEN: vault.rootToken };
    const first = await onboard(answers, env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.provider).toBe("vault");
    expect(report.providerHealth).toEqual({ status: "healthy" });
    expect(report.health).toBe("serving");
    expect(report.tokenFile).toBeUndefined();
    expect(report.secrets).toEqual([
      { name: "SMTP_PASSWORD", state: "missing" },
      { name: "STRIPE_API_KEY", state: "served" },
    ]);
    expect(report.next).toBe("store SMTP_PASSWORD in vault (at the paths the naming rule gives), then run keyward onboard again");
    for (const text of [first.stdout, first.stderr]) for (const s of [stripe, vault.rootToken]) expect(text).not.toContain(s);

    const client = fs.readFileSync(path.join(dir, "secrets-client.ts"), "utf8");
    expect(client).toContain('import { vault } from "@keyward/secrets/vault";');
    expect(client).toContain(`address: process.env.VAULT_ADDR ?? ${JSON.stringify(vault.address)}`);
    expect(client).toContain('naming: { template: "apps/billing/{name}", case: "kebab" }');
    expect(client).not.toContain(vault.rootToken);
    expect(fs.existsSync(path.join(dir, ".keyward/service-token"))).toBe(false);
    const dotenv = fs.readFileSync(path.join(dir, ".env"), "utf8");
    expect(dotenv).toBe("KEYWARD_ENVIRONMENT=development\nKEYWARD_SERVICE_NAME=billing-vault\n");

    vault.put("apps/billing/smtp-password", { value: "relay-pass-1" });
    const second = await onboard(answers, env);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.scaffold).toEqual({ written: [], added: [], kept: ["STRIPE_API_KEY", "SMTP_PASSWORD"] });
    expect(again.secrets.map((s: { state: string }) => s.state)).toEqual(["served", "served"]);
    expect(again.next).toMatch(/pnpm secrets:generate/);
  });

  it("a refused token: health unavailable, exit 4, the token never shown", async () => {
    const dir = makeApp("@acme/refused-vault");
    const wrong = "hvs.not-a-valid-token-onboard";
    const r = await onboard({ dir, service: "refused-vault", environment: "development", wireClient: false, provider: { kind: "vault", address: vault.address }, secrets: [] }, { VAULT_TOKEN: wrong });
    expect(r.code).toBe(EXIT.unreachable);
    const report = JSON.parse(r.stdout);
    expect(report.providerHealth.status).toBe("unavailable");
    expect(report.next).toMatch(/^fix the vault settings or credentials/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});

describe("keyward onboard with provider aws", () => {
  const awsEnv = (secretAccessKey = aws.credentials.secretAccessKey) => ({
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  });

  it("writes an AWS client, adds the SDK to package.json and checks ListSecrets health", async () => {
    const dir = makeApp("@acme/billing-aws");
    aws.put("STRIPE_API_KEY", `sk_${randomBytes(8).toString("hex")}`);
    const answers = { dir, service: "billing-aws", environment: "development", wireClient: true, keywardLink: KEYWARD_PACKAGES, provider: { kind: "aws", region: aws.region }, secrets };
    const r = await onboard(answers, awsEnv());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.providerHealth).toEqual({ status: "healthy" });
    expect(report.secrets).toEqual([
      { name: "SMTP_PASSWORD", state: "missing" },
      { name: "STRIPE_API_KEY", state: "served" },
    ]);
    expect(report.scaffold.written).toEqual(expect.arrayContaining(["secrets-client.ts", "package.json"]));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(pkg.dependencies["@aws-sdk/client-secrets-manager"]).toBe("^3.600.0");
    const client = fs.readFileSync(path.join(dir, "secrets-client.ts"), "utf8");
    expect(client).toContain(`provider: createAwsProvider({\n    region: "${aws.region}",\n  }),`);
    expect(client).not.toContain(aws.credentials.secretAccessKey);
  });

  it("refused credentials: exit 4 with AWS's code, never the key", async () => {
    const dir = makeApp("@acme/refused-aws");
    const wrong = "wrong-aws-key-for-onboard-1";
    const r = await onboard({ dir, service: "refused-aws", environment: "development", wireClient: false, provider: { kind: "aws", region: aws.region }, secrets: [] }, awsEnv(wrong));
    expect(r.code).toBe(EXIT.unreachable);
    expect(JSON.parse(r.stdout).providerHealth.reason).toContain("InvalidSignatureException");
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});

describe("keyward onboard with provider env", () => {
  it("writes an env client and checks each secret against the app's .env; no SDK, no token", async () => {
    const dir = makeApp("@acme/env-app");
    const stripe = `sk_${randomBytes(8).toString("hex")}`;
    fs.writeFileSync(path.join(dir, ".env"), `STRIPE_API_KEY=${stripe}\n`);
    const r = await onboard({ dir, service: "env-app", environment: "development", wireClient: true, keywardLink: KEYWARD_PACKAGES, provider: { kind: "env" }, secrets }, {});
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.providerHealth).toEqual({ status: "healthy" });
    expect(report.secrets).toEqual([
      { name: "SMTP_PASSWORD", state: "missing" },
      { name: "STRIPE_API_KEY", state: "served" },
    ]);
    expect(r.stdout).not.toContain(stripe);
    expect(fs.readFileSync(path.join(dir, "secrets-client.ts"), "utf8")).toContain('provider: "env",');
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies).not.toHaveProperty("@aws-sdk/client-secrets-manager");
    expect(fs.existsSync(path.join(dir, ".keyward"))).toBe(false);
  });
});

describe("the answers file's provider", () => {
  it("is checked before anything is written, naming each field at fault", async () => {
    const dir = makeApp("@acme/bad-answers");
    const base = { dir, service: "bad-answers", environment: "development", wireClient: false, secrets: [] };
    const cases: [unknown, string][] = [
      [{ ...base, provider: { kind: "gcp" } }, "provider.kind must be one of keyward, env, vault, aws, azure, infisical"],
      [{ ...base, provider: { kind: "vault" } }, "provider.address is required for provider vault"],
      [{ ...base, provider: { kind: "vault", address: "https://v:8200", region: "eu-west-1" } }, "provider.region does not go with provider vault (it takes address, mount, template, case)"],
      [{ ...base, provider: { kind: "infisical", projectId: "p" } }, "provider.environmentSlug is required for provider infisical"],
      [{ ...base, provider: { kind: "azure", vaultUrl: "http://plain" } }, "provider.vaultUrl must be an https URL without a path"],
      [{ ...base, provider: { kind: "aws", template: "no-placeholder" } }, "provider.template must contain {name}"],
      [base, "serviceUrl is required (the Keyward gRPC address, host:port) unless provider names another store"],
    ];
    for (const [answers, message] of cases) {
      const r = await onboard(answers, {});
      expect(r.code, message).toBe(EXIT.usage);
      expect(r.stderr).toContain(message);
    }
    expect(fs.readdirSync(dir)).toEqual(["package.json"]);
  });
});

describe("providerClientSource", () => {
  it("writes valid TypeScript for every provider, with settings and no credentials", async () => {
    const ts = await import("typescript");
    const { providerClientSource } = await import("../src/onboard/providers.js");
    const answers = [
      { kind: "env" },
      { kind: "vault", address: "https://vault.example.com:8200", mount: "kv", template: "apps/{name}" },
      { kind: "aws", region: "eu-west-1", case: "kebab" },
      { kind: "aws" },
      { kind: "azure", vaultUrl: "https://my-vault.vault.azure.net" },
      { kind: "infisical", projectId: "p-1", environmentSlug: "prod", siteUrl: "https://eu.infisical.com", secretPath: "/apps" },
    ] as const;
    for (const answer of answers) {
      const source = providerClientSource("billing-api", answer)!;
      const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
      expect(out.diagnostics, `${answer.kind}:\n${source}`).toEqual([]);
      expect(source).toContain('serviceName: "billing-api"');
      for (const value of Object.values(answer).filter((v) => v !== answer.kind)) expect(source).toContain(JSON.stringify(value));
    }
    expect(providerClientSource("billing-api", { kind: "keyward" })).toBeUndefined();
  });
});
