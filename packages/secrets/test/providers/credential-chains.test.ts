// The credentials a cloud provider finds by itself, through the real SDKs against the local fakes:
// AWS's default chain from the environment (the fake checks the SigV4 signature and the access key
// id), Azure's DefaultAzureCredential through EnvironmentCredential (the fake Entra ID checks the
// client secret), and Infisical's universal auth against a self-hosted URL below a path.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsProvider } from "../../src/providers/aws/index.js";
import { createAzureProvider } from "../../src/providers/azure/index.js";
import { createInfisicalProvider } from "../../src/providers/infisical/index.js";
import type { SecretProvider } from "../../src/providers/types.js";
import { startFakeAwsSecretsManager, type FakeAwsSecretsManager } from "../fixtures/aws-secrets-manager.js";
import { startFakeAzureKeyVault, type FakeAzureKeyVault } from "../fixtures/azure-key-vault.js";
import { startFakeInfisical, type FakeInfisical } from "../fixtures/infisical-server.js";
import { captureOutput, failureOf, signal } from "./provider-test-support.js";

/** The variables a credential chain reads; each test sets its own and the rest are cleared. */
const chainVars = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_PROFILE",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_USERNAME",
  "AZURE_FEDERATED_TOKEN_FILE",
  "IDENTITY_ENDPOINT",
  "MSI_ENDPOINT",
];
const saved = Object.fromEntries(chainVars.map((k) => [k, process.env[k]]));
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), "kw-chain-home-"));

/** Sets exactly these chain variables; no shared AWS config file and no instance metadata service. */
function useEnv(vars: Record<string, string>) {
  for (const k of chainVars) delete process.env[k];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: path.join(emptyHome, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(emptyHome, "aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...vars,
  });
}

const providers: SecretProvider[] = [];
const track = (p: SecretProvider) => (providers.push(p), p);
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(() => fs.rmSync(emptyHome, { recursive: true, force: true }));

describe("aws: the SDK's default credential chain", () => {
  let fake: FakeAwsSecretsManager;
  beforeAll(async () => {
    fake = await startFakeAwsSecretsManager({ region: "ap-southeast-2" });
    fake.put("chain/api-key", "aws-chain-value-1");
  });
  afterAll(() => fake.close());

  it("signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in AWS_REGION, at the endpoint of the config", async () => {
    useEnv({ AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey, AWS_REGION: fake.region });
    const provider = track(createAwsProvider({ endpoint: fake.endpoint }));
    fake.calls.length = 0;
    const got = await provider.fetch([{ name: "API_KEY", path: "chain/api-key" }], { signal: signal() });
    expect(got.get("API_KEY")).toMatchObject({ kind: "ok", value: "aws-chain-value-1" });
    // The fake answered the operation only after the signature and the key id checked out.
    expect(fake.calls).toEqual(["BatchGetSecretValue"]);
    expect(await provider.health({ signal: signal() })).toEqual({ status: "healthy" });
  });

  it("takes the endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER too", async () => {
    useEnv({
      AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey,
      AWS_REGION: fake.region,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.endpoint,
    });
    const provider = track(createAwsProvider({}));
    const got = await provider.fetch([{ name: "API_KEY", path: "chain/api-key" }], { signal: signal() });
    expect(got.get("API_KEY")).toMatchObject({ kind: "ok", value: "aws-chain-value-1" });
  });

  it("a wrong secret key from the environment is refused by the signature check; unauthenticated, not retryable, never shown", async () => {
    const wrong = "wrong-env-secret-access-key-77";
    useEnv({ AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: wrong, AWS_REGION: fake.region });
    const provider = track(createAwsProvider({ endpoint: fake.endpoint }));
    const e = await failureOf(provider.fetch([{ name: "API_KEY", path: "chain/api-key" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unauthenticated", retryable: false });
    expect(e.message).toContain("InvalidSignatureException");
    expect(`${e.message} ${e.stack}`).not.toContain(wrong);
  });

  it("a region from the environment that the key is not scoped to is refused", async () => {
    useEnv({ AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey, AWS_REGION: "eu-central-1" });
    const provider = track(createAwsProvider({ endpoint: fake.endpoint }));
    const e = await failureOf(provider.fetch([{ name: "API_KEY", path: "chain/api-key" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unauthenticated", retryable: false });
  });

  it("no credentials anywhere in the chain → unauthenticated, saying the default chain found none", async () => {
    useEnv({ AWS_REGION: fake.region });
    const provider = track(createAwsProvider({ endpoint: fake.endpoint }));
    fake.calls.length = 0;
    const e = await failureOf(provider.fetch([{ name: "API_KEY", path: "chain/api-key" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unauthenticated", retryable: false });
    expect(e.message).toContain("default credential chain");
    expect(fake.calls).toEqual([]);
  });
});

describe("azure: DefaultAzureCredential through EnvironmentCredential", () => {
  let fake: FakeAzureKeyVault;
  beforeAll(async () => {
    fake = await startFakeAzureKeyVault();
    fake.put("chain-api-key", "azure-chain-value-1");
  });
  afterAll(() => fake.close());
  const http = () => ({ tlsOptions: { ca: fake.ca }, disableChallengeResourceVerification: true });

  it("signs in with AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET at AZURE_AUTHORITY_HOST", async () => {
    useEnv({ AZURE_TENANT_ID: fake.tenantId, AZURE_CLIENT_ID: fake.clientId, AZURE_CLIENT_SECRET: fake.clientSecret, AZURE_AUTHORITY_HOST: fake.authorityHost });
    const provider = track(createAzureProvider({ vaultUrl: fake.vaultUrl, http: http() }));
    fake.calls.length = 0;
    const output = await captureOutput(async () => {
      const got = await provider.fetch([{ name: "API_KEY", path: "chain-api-key" }], { signal: signal() });
      expect(got.get("API_KEY")).toMatchObject({ kind: "ok", value: "azure-chain-value-1" });
    });
    // The token came from the fake Entra ID, for the client id of the environment.
    expect(fake.calls).toEqual([`TOKEN ${fake.clientId}`, "GET /secrets/chain-api-key/"]);
    expect(await provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(output).not.toContain(fake.clientSecret);
  });

  it("a client secret in the environment that Entra ID refuses → unauthenticated, never shown", async () => {
    const wrong = "wrong-env-client-secret-55";
    useEnv({ AZURE_TENANT_ID: fake.tenantId, AZURE_CLIENT_ID: fake.clientId, AZURE_CLIENT_SECRET: wrong, AZURE_AUTHORITY_HOST: fake.authorityHost });
    const provider = track(createAzureProvider({ vaultUrl: fake.vaultUrl, http: http() }));
    let e: Awaited<ReturnType<typeof failureOf>> | undefined;
    const output = await captureOutput(async () => {
      e = await failureOf(provider.fetch([{ name: "API_KEY", path: "chain-api-key" }], { signal: signal() }));
    });
    expect(e).toMatchObject({ reason: "unauthenticated", retryable: false });
    expect(`${e!.message} ${e!.stack} ${output}`).not.toContain(wrong);
    const h = await provider.health({ signal: signal() });
    expect(h.status).toBe("unavailable");
    expect(h.reason).not.toContain(wrong);
  });
});

describe("infisical: universal auth against a self-hosted URL", () => {
  let fake: FakeInfisical;
  beforeAll(async () => {
    // Served below a path, as behind a reverse proxy: https://secrets.example.internal/infisical.
    fake = await startFakeInfisical({ basePath: "/infisical" });
    fake.put("API_KEY", "infisical-selfhosted-value-1");
  });
  afterAll(() => fake.close());

  it("logs in and reads at the site URL's path, with or without a trailing slash", async () => {
    for (const siteUrl of [fake.siteUrl, `${fake.siteUrl}/`]) {
      fake.calls.length = 0;
      const provider = track(createInfisicalProvider({ siteUrl, clientId: fake.clientId, clientSecret: fake.clientSecret, projectId: fake.projectId, environment: fake.environment }));
      const got = await provider.fetch([{ name: "API_KEY", path: "API_KEY" }], { signal: signal() });
      expect(got.get("API_KEY")).toMatchObject({ kind: "ok", value: "infisical-selfhosted-value-1" });
      expect(await provider.health({ signal: signal() })).toEqual({ status: "healthy" });
      expect(fake.calls).toEqual(["LOGIN", "LIST /", "LIST /"]);
    }
  });

  it("the site's root is not the API when it lives below a path: invalid_config naming siteUrl, not retried", async () => {
    const root = fake.siteUrl.replace(/\/infisical$/, "");
    const provider = track(createInfisicalProvider({ siteUrl: root, clientId: fake.clientId, clientSecret: fake.clientSecret, projectId: fake.projectId, environment: fake.environment }));
    const e = await failureOf(provider.fetch([{ name: "API_KEY", path: "API_KEY" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "invalid_config", retryable: false });
    expect(e.message).toContain(`no universal-auth login at ${root} (404): check siteUrl`);
    expect(e.message).not.toContain(fake.clientSecret);
  });
});
