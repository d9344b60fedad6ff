import { describe, expect, it } from "vitest";
import { createSecretsClient, SecretsBatchError, SecretsClientError } from "../../src/index.js";

// Each rule, checked the same way in every mode; "env" mode needs no server, so it is used here.
const schema = {
  properties: {
    STRIPE_API_KEY: { description: "Stripe", pattern: "^sk_(live|test)_[A-Za-z0-9]+$" },
    DB_PASSWORD: { description: "Password", minLength: 12, maxLength: 64 },
    SENTRY_DSN: { description: "Sentry", format: "uri" },
    ADMIN_EMAIL: { description: "Email", format: "email" },
    REGION: { description: "Region", enum: ["eu", "us"] },
    LOCAL_NAME: { description: "IDN host name", format: "idn-hostname" },
  },
} as const;

async function failure(values: Record<string, string>, name: keyof typeof schema.properties): Promise<SecretsClientError> {
  const client = createSecretsClient(schema, { mode: "env", env: values, envFile: "/nonexistent/.env" });
  const error = await client.getSecret(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretsClientError);
  return error as SecretsClientError;
}

describe("value validation", () => {
  it("names the secret and the rule, never the value", async () => {
    const cases: [Record<string, string>, keyof typeof schema.properties, string][] = [
      [{ STRIPE_API_KEY: "pk_live_LEAKME" }, "STRIPE_API_KEY", 'the value of STRIPE_API_KEY does not match its "pattern" ^sk_(live|test)_[A-Za-z0-9]+$'],
      [{ DB_PASSWORD: "LEAKME" }, "DB_PASSWORD", 'the value of DB_PASSWORD is shorter than its "minLength" of 12 characters'],
      [{ DB_PASSWORD: "LEAKME".repeat(20) }, "DB_PASSWORD", 'the value of DB_PASSWORD is longer than its "maxLength" of 64 characters'],
      [{ SENTRY_DSN: "LEAKME not a uri" }, "SENTRY_DSN", 'the value of SENTRY_DSN is not a valid "uri" (its "format")'],
      [{ ADMIN_EMAIL: "LEAKME" }, "ADMIN_EMAIL", 'the value of ADMIN_EMAIL is not a valid "email" (its "format")'],
      [{ REGION: "LEAKME" }, "REGION", 'the value of REGION is not one of the 2 values of its "enum"'],
    ];
    for (const [values, name, message] of cases) {
      const error = await failure(values, name);
      expect(error).toMatchObject({ secretName: name, reason: "invalid_value", message });
      expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain("LEAKME");
    }
  });

  it("accepts values that satisfy every rule; formats ajv-formats cannot check are accepted", async () => {
    const values = {
      STRIPE_API_KEY: "sk_test_abc123",
      DB_PASSWORD: "correct horse battery",
      SENTRY_DSN: "https://key@sentry.example/1",
      ADMIN_EMAIL: "ops@example.com",
      REGION: "eu",
      LOCAL_NAME: "bücher.example",
    };
    const client = createSecretsClient(schema, { mode: "env", env: values, envFile: "/nonexistent/.env" });
    expect(await client.getSecrets()).toEqual(values);
  });

  it("getSecrets reports every invalid and missing secret at once", async () => {
    const client = createSecretsClient(schema, { mode: "env", env: { STRIPE_API_KEY: "nope", REGION: "mars", SENTRY_DSN: "https://ok.example" }, envFile: "/nonexistent/.env" });
    const error = (await client.getSecrets(["STRIPE_API_KEY", "SENTRY_DSN", "REGION", "DB_PASSWORD"]).catch((e: unknown) => e)) as SecretsBatchError;
    expect(error).toBeInstanceOf(SecretsBatchError);
    expect(error.failures.map((f) => [f.secretName, f.reason])).toEqual([
      ["STRIPE_API_KEY", "invalid_value"],
      ["REGION", "invalid_value"],
      ["DB_PASSWORD", "secret_missing"],
    ]);
    expect(error.reason).toBe("invalid_value");
    expect(error.message.split("\n")[0]).toBe("cannot fetch 3 secrets:");
    expect(error.message).not.toContain("mars");
  });

  it("a schema whose rules cannot be checked fails when the client is created", () => {
    const bad = { properties: { X: { description: "x", format: "not-a-format" } } } as const;
    expect(() => createSecretsClient(bad, { mode: "env", env: {} })).toThrow(/the schema's rules for X cannot be checked: unknown format "not-a-format"/);
  });
});
