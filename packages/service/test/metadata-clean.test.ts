// Metadata that older validators derived with parts of values in it (an oauth2-client token URL's
// query; a database-url or smtp password with an unencoded / ? # @, split by the URL parser into the
// host, port or database) is derived again at start with the current secret types (migration 0620).
// The stored rows are written here as the older validators left them.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { connectDatabase, createKeyringEnvelope, createSecret, getDefaultEnvironment, readSecretValue, setSecretValue, verifyAuditChain, type Database } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import type { Kysely } from "kysely";
import { cleanMetadataAtStart } from "../src/metadata-clean.js";
import { startSecretsService } from "../src/index.js";
import { adminApi, baseEnv, freshPostgresUrl, tmpDir } from "./helpers.js";

const freshPglite = createPgliteTemplate();
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});

const DB_PASSWORD = "8080/s3cr3tDb";
const SMTP_HIDDEN = "h1dd3nMail";
const CLIENT_SECRET = "Qu3rySecret";
const values = {
  orders: `postgres://app:${DB_PASSWORD}@db.internal/orders`,
  smtp: `smtp://mailer:Pa55@${SMTP_HIDDEN}/xyz@mail.example`,
  idp: JSON.stringify({ clientId: "app", clientSecret: "b", tokenUrl: `https://idp.example/oauth/token?client_secret=${CLIENT_SECRET}` }),
  openai: "sk-proj-" + "a".repeat(40),
};
/** What the validators before the fix derived from these values. */
const oldMetadata = {
  orders: { scheme: "postgres", host: "app", port: 8080, database: "s3cr3tDb@db.internal/orders" },
  smtp: { host: SMTP_HIDDEN, port: 587, secure: false },
  idp: { clientId: "app", tokenUrl: `https://idp.example/oauth/token?client_secret=${CLIENT_SECRET}` },
  openai: { provider: "openai" },
};
const LEAKS = new RegExp(["s3cr3tDb", SMTP_HIDDEN, CLIENT_SECRET, "Pa55"].join("|"));

/** Sets the stored version's (and the secret's row's) metadata as an older release left it: unchecked (metadata_version 1). */
async function asOlderRelease(db: Kysely<Database>, name: string, metadata: Record<string, unknown>) {
  const json = JSON.stringify(metadata);
  const { id } = await db.selectFrom("secrets").select("id").where("name", "=", name).executeTakeFirstOrThrow();
  await db.updateTable("secret_versions").set({ metadata_json: json, metadata_version: 1 }).where("secret_id", "=", id).execute();
  await db.updateTable("secrets").set({ metadata_json: json }).where("id", "=", id).execute();
}

async function allMetadata(db: Kysely<Database>): Promise<string> {
  const versions = await db.selectFrom("secret_versions").select("metadata_json").execute();
  const secrets = await db.selectFrom("secrets").select("metadata_json").execute();
  return JSON.stringify([...versions, ...secrets].map((r) => r.metadata_json));
}

describe("cleanMetadataAtStart with the built-in secret types", () => {
  it("replaces metadata holding value parts, clears it for values the types now refuse, and logs names and counts only", async () => {
    const database = await freshPglite();
    open.push(database);
    const { db } = database;
    const auditKey = randomBytes(32);
    const at = new Date("2026-12-03T12:00:00.000Z");
    const envelope = await createKeyringEnvelope(db, randomBytes(32), { auditKey, actor: "t", at });
    const env = await getDefaultEnvironment(db);
    for (const [name, type, value] of [
      ["ORDERS_DB", "database-url", values.orders],
      ["SMTP_LOGIN", "smtp", values.smtp],
      ["IDP_CLIENT", "oauth2-client", values.idp],
      ["OPENAI_KEY", "llm-api-key", values.openai],
      ["ACME_TOKEN", "acme-token", "acme_0123"],
    ] as const) {
      await createSecret(db, { environmentId: env.id, name, type, actor: "t", at });
      // Stored unchecked, as before the fix (the current validators refuse two of them).
      await setSecretValue(db, envelope, { environmentId: env.id, name, value, actor: "t", at });
    }
    await asOlderRelease(db, "ORDERS_DB", oldMetadata.orders);
    await asOlderRelease(db, "SMTP_LOGIN", oldMetadata.smtp);
    await asOlderRelease(db, "IDP_CLIENT", oldMetadata.idp);
    await asOlderRelease(db, "OPENAI_KEY", oldMetadata.openai);
    await asOlderRelease(db, "ACME_TOKEN", { region: "eu" });
    expect(await allMetadata(db)).toMatch(LEAKS);

    let logs = "";
    const logger = createLogger({ level: "info", destination: { write: (c: string) => void (logs += c) } as never });
    const run = () => cleanMetadataAtStart(db, envelope, createNodeSecretTypeRegistry(), { auditKey, clock: { now: () => at }, logger });
    const result = await run();
    expect(result).toMatchObject({ checked: 4, replaced: 1, unreadable: [], unknownTypes: { "acme-token": 1 } });
    expect(result.refused.map((r) => r.secret).sort()).toEqual(["ORDERS_DB", "SMTP_LOGIN"]);

    expect(await allMetadata(db)).not.toMatch(LEAKS);
    const metadataOf = async (name: string) => (await db.selectFrom("secrets").select("metadata_json").where("name", "=", name).executeTakeFirstOrThrow()).metadata_json;
    expect(await metadataOf("ORDERS_DB")).toBeNull();
    expect(await metadataOf("SMTP_LOGIN")).toBeNull();
    expect(JSON.parse((await metadataOf("IDP_CLIENT"))!)).toEqual({ clientId: "app", tokenUrl: "https://idp.example/oauth/token" });
    expect(JSON.parse((await metadataOf("OPENAI_KEY"))!)).toEqual({ provider: "openai" });
    for (const [name, value] of [["ORDERS_DB", values.orders], ["SMTP_LOGIN", values.smtp], ["IDP_CLIENT", values.idp], ["OPENAI_KEY", values.openai]] as const) {
      expect(await readSecretValue(db, envelope, { environmentId: env.id, name })).toMatchObject({ kind: "ok", value, version: 1 });
    }
    expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: true });
    expect(await db.selectFrom("audit_log").select("action").where("action", "=", "values.metadata_clean").execute()).toHaveLength(1);

    // The log names the versions to set again and counts; never a value or metadata.
    const lines = logs.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => /now refuses/.test(String(l.msg)))).toMatchObject({ level: 40, count: 2, versions: expect.arrayContaining(["development/ORDERS_DB v1", "development/SMTP_LOGIN v1"]) });
    expect(lines.find((l) => /derived the metadata/.test(String(l.msg)))).toMatchObject({ level: 30, checked: 4, replaced: 1 });
    expect(lines.find((l) => /not registered/.test(String(l.msg)))).toMatchObject({ level: 40, count: 1, types: ["acme-token (1)"] });
    expect(logs).not.toMatch(LEAKS);
    expect(logs).not.toMatch(/db\.internal|idp\.example|mail\.example/);

    // The next start has nothing left to do but the type it does not know.
    logs = "";
    expect(await run()).toEqual({ checked: 0, replaced: 0, refused: [], unreadable: [], unknownTypes: { "acme-token": 1 } });
    expect(logs).not.toMatch(/derived the metadata|now refuses/);
  });
});

describe("startSecretsService", () => {
  it("derives stored metadata again before it serves, once", async () => {
    const databaseUrl = await freshPostgresUrl();
    const env = { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), DATABASE_URL: databaseUrl, KEYWARD_DATA_DIR: tmpDir("kw-meta-") };
    const first = await startSecretsService({ env, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    const token = first.bootstrapToken!;
    try {
      const api = adminApi(first.adminUrl, token);
      // Accepted as generic today; retyped below, as a database-url stored before the fix was.
      await api("POST", "/api/secrets", { name: "ORDERS_DB", description: "orders", type: "generic", value: values.orders });
      await api("POST", "/api/secrets", { name: "IDP_CLIENT", description: "idp", type: "oauth2-client", value: values.idp });
    } finally {
      await first.close();
    }
    const database = await connectDatabase({ databaseUrl, dataDir: env.KEYWARD_DATA_DIR });
    try {
      await database.db.updateTable("secret_definitions").set({ type: "database-url" }).where("name", "=", "ORDERS_DB").execute();
      await asOlderRelease(database.db, "ORDERS_DB", oldMetadata.orders);
      await asOlderRelease(database.db, "IDP_CLIENT", oldMetadata.idp);
    } finally {
      await database.close();
    }

    const start = async () => {
      let logs = "";
      const logger = createLogger({ level: "info", destination: { write: (c: string) => void (logs += c) } as never });
      const service = await startSecretsService({ env, grpcPort: 0, httpPort: 0, logger });
      return { service, logs: () => logs };
    };
    const second = await start();
    try {
      const api = adminApi(second.service.adminUrl, token);
      const orders = await api("GET", "/api/secrets/ORDERS_DB");
      expect(orders).not.toHaveProperty("metadata");
      expect((await api("GET", "/api/secrets/IDP_CLIENT")).metadata).toEqual({ clientId: "app", tokenUrl: "https://idp.example/oauth/token" });
      const versions = await api("GET", "/api/secrets/ORDERS_DB/versions");
      expect(JSON.stringify(versions)).not.toMatch(LEAKS);
      expect(second.logs()).toMatch(/"count":1,"versions":\["development\/ORDERS_DB v1"\].*now refuses/);
      expect(second.logs()).not.toMatch(LEAKS);
    } finally {
      await second.service.close();
    }
    // A row set back to the old binding does not open under it: the log names it (a `secret` field
    // would be censored by the logger, leaving the operator no name to act on).
    const tampered = await connectDatabase({ databaseUrl, dataDir: env.KEYWARD_DATA_DIR });
    try {
      await tampered.db.updateTable("secret_versions").set({ aad_version: 1 }).where("secret_id", "=", tampered.db.selectFrom("secrets").select("id").where("name", "=", "IDP_CLIENT")).execute();
    } finally {
      await tampered.close();
    }
    // A third start finds no metadata to do.
    const third = await start();
    try {
      expect(third.logs()).not.toMatch(/derived the metadata|now refuses/);
      expect(third.logs()).toMatch(/"count":1,"versions":\["IDP_CLIENT v1"\],"msg":"stored values that do not open under their own binding/);
    } finally {
      await third.service.close();
    }
    const after = await connectDatabase({ databaseUrl, dataDir: env.KEYWARD_DATA_DIR });
    try {
      expect(await after.db.selectFrom("audit_log").select("reason").where("action", "=", "values.metadata_clean").execute()).toEqual([
        { reason: "metadata of 2 versions derived again: 1 replaced, 1 cleared (refused by their type now), 0 cleared (value unreadable)" },
      ]);
      expect(await verifyAuditChain(after.db, Buffer.from(env.KEYWARD_AUDIT_KEY, "base64"))).toMatchObject({ ok: true });
    } finally {
      await after.close();
    }
  });
});
