// Each cloud provider checks its whole config before anything else and throws ONE invalid_config
// error that lists every wrong or missing field, one line each, and no other (Vault: vault.test.ts).
import { describe, expect, it } from "vitest";
import { createAwsProvider, type AwsProviderConfig } from "../../src/providers/aws/index.js";
import { createAzureProvider, type AzureProviderConfig } from "../../src/providers/azure/index.js";
import { createInfisicalProvider, type InfisicalProviderConfig } from "../../src/providers/infisical/index.js";
import { ProviderError } from "../../src/providers/types.js";

/** The fields the error names, in order: each "  - field: …" / "  - field.sub must …" line's first word. */
function namedFields(create: () => unknown): { fields: string[]; message: string } {
  let thrown: unknown;
  try {
    create();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProviderError);
  expect(thrown).toMatchObject({ reason: "invalid_config", retryable: false });
  const message = (thrown as ProviderError).message;
  const fields = message
    .split("\n")
    .filter((line) => line.startsWith("  - "))
    .map((line) => /^ {2}- ([A-Za-z.]+)/.exec(line)![1]!);
  return { fields, message };
}

const secret = "do-not-echo-this-secret-1";

describe("config validation names every bad field at once", () => {
  it("aws: every field wrong", () => {
    const { fields, message } = namedFields(() =>
      createAwsProvider({
        region: "moon-1",
        endpoint: "ftp://sm.local",
        credentials: { accessKeyId: "", secretAccessKey: 42, sessionToken: 7 },
        versionStage: "has space",
        healthSecretId: "",
        batch: "yes",
        naming: { template: "no-placeholder", case: "UPPER" },
        profile: "default",
      } as unknown as AwsProviderConfig),
    );
    expect(fields.sort()).toEqual(
      ["profile", "region", "endpoint", "credentials.accessKeyId", "credentials.secretAccessKey", "credentials.sessionToken", "versionStage", "healthSecretId", "batch", "naming.template", "naming.case"].sort(),
    );
    expect(message).toContain('region: expected an AWS region such as "eu-west-1"');
  });

  it("aws: an empty config is valid (the SDK's default chain fills it in); a non-object is refused", () => {
    expect(() => createAwsProvider({}).close()).not.toThrow();
    expect(() => createAwsProvider("eu-west-1" as never)).toThrow("aws provider: the config must be an object");
  });

  it("azure: an empty config names the vault URL", () => {
    expect(namedFields(() => createAzureProvider({} as AzureProviderConfig)).fields).toEqual(["vaultUrl"]);
  });

  it("azure: every field wrong, and the client secret is not echoed", () => {
    const { fields, message } = namedFields(() =>
      createAzureProvider({
        vaultUrl: "http://kv.vault.azure.net/secrets",
        clientSecret: { tenantId: "a b", clientId: "", clientSecret: secret.length, authorityHost: "http://login.example" },
        credential: { token: secret },
        healthSecretName: "under_score",
        concurrency: 100,
        http: "fast",
        naming: 3,
        tenant: "x",
      } as unknown as AzureProviderConfig),
    );
    expect(fields.sort()).toEqual(
      [
        "tenant",
        "vaultUrl",
        "clientSecret.tenantId",
        "clientSecret.clientId",
        "clientSecret.clientSecret",
        "clientSecret.authorityHost",
        "credential",
        "healthSecretName",
        "concurrency",
        "http",
        "naming",
      ].sort(),
    );
    expect(message).not.toContain(secret);
  });

  it("infisical: an empty config names the four required fields", () => {
    expect(namedFields(() => createInfisicalProvider({} as InfisicalProviderConfig)).fields).toEqual(["clientId", "clientSecret", "projectId", "environment"]);
  });

  it("infisical: every field wrong, and the client secret is not echoed", () => {
    const { fields, message } = namedFields(() =>
      createInfisicalProvider({
        siteUrl: "app.infisical.com",
        clientId: " ",
        clientSecret: 5,
        projectId: "",
        environment: "prod env",
        secretPath: "apps/billing",
        expandSecretReferences: "no",
        includeImports: 1,
        naming: { template: "{name}", prefix: secret },
        token: secret,
      } as unknown as InfisicalProviderConfig),
    );
    expect(fields.sort()).toEqual(
      ["token", "siteUrl", "clientId", "clientSecret", "projectId", "environment", "secretPath", "expandSecretReferences", "includeImports", "naming.prefix"].sort(),
    );
    expect(message).not.toContain(secret);
  });
});
