// Property tests (fast-check) of loadServiceConfig over arbitrary environments: a config error
// naming its variable on every line, never a crash, and never a secret's value in the message.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKeywardError, loadServiceConfig, serviceEnvSchema } from "../src/index.js";

const SEED = 20_240_611;
const KNOWN = Object.keys(serviceEnvSchema.properties);
/** Variables read outside the schema that loadServiceConfig reads too (the external master key settings). */
const ALSO_READ = ["VAULT_ADDR", "VAULT_TOKEN", "VAULT_NAMESPACE", "AWS_REGION", "AWS_DEFAULT_REGION"];
const NAMES = [...KNOWN, ...ALSO_READ];

/** Whose values are secrets: never echoed, whatever else is wrong. */
const SECRET_NAMES = ["KEYWARD_MASTER_KEY", "KEYWARD_MASTER_PASSPHRASE", "KEYWARD_VAULT_TOKEN", "VAULT_TOKEN", "KEYWARD_AUDIT_KEY", "KEYWARD_AUDIT_SIGNING_KEY", "KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN"];
/** Whose values are URLs: a password in one is a secret too. */
const URL_NAMES = ["DATABASE_URL", "KEYWARD_VAULT_ADDR", "VAULT_ADDR", "KEYWARD_AWS_KMS_ENDPOINT", "KEYWARD_AZURE_KEY_ID", "KEYWARD_OIDC_ISSUER", "KEYWARD_OIDC_JWKS_URL", "KEYWARD_AUDIT_CHECKPOINT_SINK", "KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT", "KEYWARD_CREDENTIAL_TEST_URLS"];

/** A high-entropy token, the same for the same seed (shrinking cannot make it a plain word). */
const token = (seed: number, length: number) => createHash("sha256").update(`keyward-config-fuzz-${seed}`).digest("base64url").slice(0, length);
const secretArb = fc.tuple(fc.integer(), fc.integer({ min: 12, max: 40 })).map(([s, n]) => token(s, n));

const quotes = (text: string, secret: string) => {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
};

const FRAGMENTS = ["", " ", "0", "1", "-1", "65536", "1e3", "0x10", "true", "off", "on", "file", "env", "passphrase", "aws-kms", "azure-key-vault", "vault-transit", "https://", "http://", "http://127.0.0.1:8200", "https://vault.example:8200", "postgres://", "s3://b/p", "eu-west-1", "openid", "admin=owner", "a=b,a=c", "\n", "\r\n  - ", "\u0000", "é", '"', "\\"];
const valueArb = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 40 }), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 4 }).map((a) => a.join("")));

/** Runs loadServiceConfig; returns its KeywardError, or undefined when the environment is valid. Anything else fails the test. */
function configError(env: NodeJS.ProcessEnv) {
  try {
    loadServiceConfig(env, "/srv/app");
    return undefined;
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return error;
  }
}

/** Every problem of a config error, one per line: it starts with the variable at fault. */
function checkShape(error: NonNullable<ReturnType<typeof configError>>) {
  expect(error.code).toBe("config");
  expect(NAMES).toContain(error.field);
  const [head, ...problems] = error.message.split("\n");
  expect(head).toMatch(/^(invalid configuration( for KEYWARD_MASTER_KEY_SOURCE=[a-z-]+)?:|KEYWARD_MASTER_)/);
  for (const line of problems) expect(line, error.message).toMatch(new RegExp(`^  - (${NAMES.join("|")}) `));
}

describe("loadServiceConfig with arbitrary environments", () => {
  it("accepts, or throws a config error whose every line names a variable", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), valueArb, { maxKeys: 6 }), (env) => {
        const error = configError(env);
        if (error) checkShape(error);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it("names a bad value of each variable on its own", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN), valueArb, (name, value) => {
        const error = configError({ [name]: value });
        if (error) checkShape(error);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it("never echoes a secret's value, nor the password of a URL", () => {
    // The secret alone, in a malformed value, or as a URL's password; beside other (often bad) settings.
    const shapes = [(s: string) => s, (s: string) => `${s} x`, (s: string) => `${s}\n`, (s: string) => `https://admin:${s}@vault.example:8200`, (s: string) => `http://admin:${s}@vault.example:8200`, (s: string) => `http://admin:${s} x@vault.example`, (s: string) => `openai=http://u:${s}@proxy, x`, (s: string) => `postgresql://u:${s}@db`, (s: string) => `mysql://u:${s}@db`];
    fc.assert(
      fc.property(
        // A URL variable's secret is its password (shapes 3 on); a secret variable's is its whole value (any shape).
        fc.oneof(fc.tuple(fc.constantFrom(...SECRET_NAMES), fc.nat(shapes.length - 1)), fc.tuple(fc.constantFrom(...URL_NAMES), fc.integer({ min: 3, max: shapes.length - 1 }))),
        secretArb,
        fc.dictionary(fc.constantFrom(...NAMES), valueArb, { maxKeys: 4 }),
        fc.constantFrom(undefined, "vault-transit", "aws-kms", "azure-key-vault", "env", "passphrase"),
        ([name, shape], secret, others, source) => {
          const env = { ...others, ...(source ? { KEYWARD_MASTER_KEY_SOURCE: source } : {}), [name]: shapes[shape]!(secret) };
          const error = configError(env);
          if (error) expect(quotes(error.message, secret), error.message).toBe(false);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("masks a URL's password in an external master key setting it repeats (a bad KEYWARD_AZURE_KEY_ID or VAULT_ADDR)", () => {
    const errors = [
      configError({ KEYWARD_MASTER_KEY_SOURCE: "azure-key-vault", KEYWARD_AZURE_KEY_ID: "https://admin:LFdpDwVyJud9@vault.example:8200" }),
      configError({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_TRANSIT_KEY: "k", VAULT_TOKEN: "t", VAULT_ADDR: "x=http://u:LFdpDwVyJud9@proxy, x" }),
      configError({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_TRANSIT_KEY: "k", VAULT_TOKEN: "t", VAULT_ADDR: "ftp://u:LFdp/DwVyJud9@proxy" }),
    ];
    for (const error of errors) {
      expect(error?.message).toMatch(/\/\/\*\*\*@/);
      expect(quotes(error!.message, "LFdpDwVyJud9")).toBe(false);
    }
  });
});
