import { describe, expectTypeOf, it } from "vitest";
import { createSecretsClient, SecretsBatchError, SecretsClientError, type SecretsClientReason, type SecretsClientTlsOptions } from "../../src/index.js";

const schema = {
  properties: {
    STRIPE_API_KEY: { description: "Stripe" },
    DATABASE_URL: { description: "Postgres", format: "uri" },
    SENTRY_DSN: { description: "Sentry", "x-keyward": { optional: true } },
    FEATURE_FLAG_KEY: { description: "Flags", "x-keyward": { optional: false } },
  },
} as const;

// Never run: vitest only type-checks *.test-d.ts files.
const client = createSecretsClient(schema, { serviceName: "t" });

describe("createSecretsClient types", () => {
  it("getSecret follows the schema: optional → string | undefined, else string", () => {
    expectTypeOf(client.getSecret("STRIPE_API_KEY")).resolves.toEqualTypeOf<string>();
    expectTypeOf(client.getSecret("SENTRY_DSN")).resolves.toEqualTypeOf<string | undefined>();
    expectTypeOf(client.getSecret("FEATURE_FLAG_KEY")).resolves.toEqualTypeOf<string>();
  });

  it("an undeclared name does not compile", () => {
    // @ts-expect-error a name the schema does not declare
    void client.getSecret("NOT_DECLARED");
    // @ts-expect-error nor in a batch
    void client.getSecrets(["STRIPE_API_KEY", "NOT_DECLARED"]);
    // @ts-expect-error names are case-sensitive
    void client.getSecret("stripe_api_key");
  });

  it("getSecrets(names) is keyed by exactly the requested names", () => {
    expectTypeOf(client.getSecrets(["STRIPE_API_KEY", "SENTRY_DSN"])).resolves.toEqualTypeOf<{ STRIPE_API_KEY: string; SENTRY_DSN: string | undefined }>();
    const names = ["DATABASE_URL"] as const;
    expectTypeOf(client.getSecrets(names)).resolves.toEqualTypeOf<{ DATABASE_URL: string }>();
  });

  it("getSecrets() returns every declared secret", () => {
    expectTypeOf(client.getSecrets()).resolves.toEqualTypeOf<{ STRIPE_API_KEY: string; DATABASE_URL: string; SENTRY_DSN: string | undefined; FEATURE_FLAG_KEY: string }>();
  });

  it("reasons come from the proto enum plus the client's own", () => {
    expectTypeOf<SecretsClientError["reason"]>().toEqualTypeOf<SecretsClientReason>();
    expectTypeOf<"access_pending">().toExtend<SecretsClientReason>();
    expectTypeOf<"circuit_open">().toExtend<SecretsClientReason>();
    expectTypeOf<"made_up">().not.toExtend<SecretsClientReason>();
    expectTypeOf<SecretsBatchError["failures"]>().toEqualTypeOf<readonly SecretsClientError[]>();
  });

  it("options are checked", () => {
    // @ts-expect-error mode is "keyward" or "env"
    void createSecretsClient(schema, { mode: "vault" });
    // @ts-expect-error cache is false or an object
    void createSecretsClient(schema, { cache: true });
  });

  it("tls: each PEM as content or a file, a client certificate only with its key", () => {
    const pem = "-----BEGIN CERTIFICATE-----";
    void createSecretsClient(schema, { tls: true });
    void createSecretsClient(schema, { tls: false });
    void createSecretsClient(schema, { tls: { caFile: "ca.crt", serverName: "keyward.internal" } });
    void createSecretsClient(schema, { tls: { ca: Buffer.from(pem), certFile: "client.crt", keyFile: "client.key" } });
    void createSecretsClient(schema, { tls: { cert: pem, key: new Uint8Array(1) } });
    expectTypeOf<{ ca: string; cert: string; key: string }>().toExtend<SecretsClientTlsOptions>();
    // @ts-expect-error a certificate without its key
    void createSecretsClient(schema, { tls: { cert: pem } });
    // @ts-expect-error a key without its certificate
    void createSecretsClient(schema, { tls: { keyFile: "client.key" } });
    // @ts-expect-error content and a file for the same PEM
    void createSecretsClient(schema, { tls: { ca: pem, caFile: "ca.crt" } });
    // @ts-expect-error a file is a path, not bytes
    void createSecretsClient(schema, { tls: { caFile: Buffer.from(pem) } });
    expectTypeOf<{ certFile: string }>().not.toExtend<SecretsClientTlsOptions>();
  });

  it("environment and defaultEnvironment are names (strings)", () => {
    void createSecretsClient(schema, { serviceName: "t", environment: "production", defaultEnvironment: "development" });
    // @ts-expect-error an environment is a name, not a flag
    void createSecretsClient(schema, { serviceName: "t", defaultEnvironment: true });
  });
});
