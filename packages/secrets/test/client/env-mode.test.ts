import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createSecretsClient, SecretsClientError, SecretsConfigError } from "../../src/index.js";
import { makeTree } from "../fixtures/tree.js";

const schema = {
  properties: {
    STRIPE_API_KEY: { description: "Stripe", pattern: "^sk_(live|test)_[A-Za-z0-9]+$" },
    DATABASE_URL: { description: "Postgres", format: "uri" },
    SENTRY_DSN: { description: "Sentry", "x-keyward": { optional: true } },
  },
} as const;

describe('mode "env"', () => {
  it("reads process.env and .env, with process.env winning, and validates by the schema", async () => {
    const tree = makeTree({ ".env": "STRIPE_API_KEY=sk_test_fromfile\nDATABASE_URL=postgres://db.local/app # local db\n" });
    const client = createSecretsClient(schema, { mode: "env", envFile: tree.at(".env"), env: { STRIPE_API_KEY: "sk_test_fromenv" } });
    expect(await client.getSecret("STRIPE_API_KEY")).toBe("sk_test_fromenv");
    expect(await client.getSecrets()).toEqual({ STRIPE_API_KEY: "sk_test_fromenv", DATABASE_URL: "postgres://db.local/app", SENTRY_DSN: undefined });
    expect(await client.register()).toBe("approved");
    expect(await client.registration()).toEqual({ status: "approved" });
    expect(await client.waitForApproval({ timeoutMs: 0 })).toEqual({ status: "approved" });
    expect(client.redact("url=postgres://db.local/app key=sk_test_fromenv")).toBe("url=[redacted:DATABASE_URL] key=[redacted:STRIPE_API_KEY]");
    await client.close();
    await expect(client.getSecret("STRIPE_API_KEY")).rejects.toMatchObject({ reason: "closed" });
    expect(client.redact("sk_test_fromenv")).toBe("sk_test_fromenv");
  });

  it("is chosen by KEYWARD_MODE=env, reading .env from the current directory by default", async () => {
    const tree = makeTree({ ".env": "STRIPE_API_KEY=sk_live_abc\nDATABASE_URL=https://x.example\n" });
    const cwd = process.cwd();
    process.chdir(tree.root);
    try {
      const client = createSecretsClient(schema, { env: { KEYWARD_MODE: "env" } });
      expect(await client.getSecret("DATABASE_URL")).toBe("https://x.example");
    } finally {
      process.chdir(cwd);
    }
  });

  it("explains a missing secret, treats an empty one as missing, and an absent optional one is undefined", async () => {
    const tree = makeTree({ "dev.env": "STRIPE_API_KEY=\n" });
    const client = createSecretsClient(schema, { mode: "env", envFile: tree.at("dev.env"), env: {} });
    const error = (await client.getSecret("STRIPE_API_KEY").catch((e: unknown) => e)) as SecretsClientError;
    expect(error).toBeInstanceOf(SecretsClientError);
    expect(error).toMatchObject({ reason: "secret_missing", secretName: "STRIPE_API_KEY" });
    expect(error.message).toBe(`secret STRIPE_API_KEY is not set: set the environment variable STRIPE_API_KEY or add STRIPE_API_KEY=… to ${tree.at("dev.env")} (mode "env")`);
    expect(await client.getSecret("SENTRY_DSN")).toBeUndefined();
  });

  it("rejects an undeclared name at run time too (for plain JavaScript callers)", async () => {
    const client = createSecretsClient(schema, { mode: "env", env: { NOT_DECLARED: "x" }, envFile: "/nonexistent/.env" });
    await expect(client.getSecret("NOT_DECLARED" as "SENTRY_DSN")).rejects.toMatchObject({ reason: "not_declared", message: expect.stringMatching(/^secret NOT_DECLARED is not declared in the schema/) });
    await expect(client.getSecrets(["NOT_DECLARED" as "SENTRY_DSN"])).rejects.toMatchObject({ reason: "not_declared" });
  });

  it("names a malformed .env line and an unreadable file", () => {
    const tree = makeTree({ ".env": "STRIPE_API_KEY=sk_test_x\nsk_live_leak\n" });
    expect(() => createSecretsClient(schema, { mode: "env", envFile: tree.at(".env"), env: {} })).toThrow(`${tree.at(".env")}:2: expected KEY=value`);
    fs.mkdirSync(tree.at("dir.env"));
    const err = (() => {
      try {
        createSecretsClient(schema, { mode: "env", envFile: tree.at("dir.env"), env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SecretsConfigError);
    expect((err as Error).message).toBe(`cannot read ${tree.at("dir.env")}: EISDIR`);
  });
});
