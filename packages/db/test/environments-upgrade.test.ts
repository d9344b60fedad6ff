import { randomBytes, randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { sql, type Kysely } from "kysely";
import { keywardMigrator } from "../src/migrate.js";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey } from "@keyward/common";
import {
  appendAudit,
  connectPostgres,
  getSecretMetadata,
  listEnvironments,
  migrateToLatest,
  migrations,
  readSecretValue,
  verifyAuditChain,
  wrapPglite,
  type Database,
  type KeywardDatabase,
} from "../src/index.js";
import { appendAuditBatch } from "../src/queries/audit/append-batch.js";
import { auditRowHash, GENESIS_HASH } from "../src/queries/audit/chain.js";
import { createPostgresTestDatabases } from "../src/testing.js";
import { freshPglite, freshPostgres } from "./harness.js";

// Issue #13: a database built by the migrations before environments (up to 0302), holding every
// kind of data, upgrades to environments losslessly; a fresh one gets the three environments.
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const auditKey = randomBytes(32);
const at = new Date("2026-03-04T05:06:07.000Z");
const BEFORE = Object.keys(migrations).filter((name) => name < "0400");

/** Migrates to 0302-service-identity only, as a database of the previous release. */
async function migrateBeforeEnvironments(db: Kysely<Database>): Promise<void> {
  const subset = Object.fromEntries(BEFORE.map((name) => [name, migrations[name]!]));
  const migrator = keywardMigrator(db, subset);
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

const SECRETS = [
  { name: "STRIPE_KEY", description: "Stripe", type: "api_key", rotation: 30, values: ["sk_1", "sk_2", "sk_3"], status: "active" },
  { name: "DB_PASSWORD", description: "db", type: "password", rotation: 90, values: ["pw_1"], status: "disabled" },
  { name: "NOT_YET", description: "asked for", type: "generic", rotation: 90, values: [], status: "stub" },
] as const;
const TOKENS = ["pending", "approved", "revoked"] as const;
const GRANTS = ["pending", "granted", "denied", "revoked"] as const;

/** Puts data in the old schema the way the old queries did (raw rows: today's types no longer describe it). */
async function fillOldSchema(db: Kysely<any>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const s of SECRETS) {
    const id = randomUUID();
    ids[s.name] = id;
    await db
      .insertInto("secrets")
      .values({ id, name: s.name, description: s.description, type: s.type, rotation_days: s.rotation, status: s.status, current_version: s.values.length, created_at: at, created_by: "admin:1", updated_at: at, updated_by: "admin:1" })
      .execute();
    for (const [i, value] of s.values.entries()) {
      const sealed = envelope.seal(value, id, i + 1, s.name);
      await db
        .insertInto("secret_versions")
        .values({ secret_id: id, version: i + 1, ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 2, created_at: at, created_by: "admin:1" })
        .execute();
    }
  }
  for (const status of TOKENS) {
    await db.insertInto("service_tokens").values({ id: `tok-${status}`, service_name: `svc-${status}`, service_version: "1", token_hash: hashToken(`kws_${status}`), status, requested_at: at, peer_address: "10.0.0.7" }).execute();
  }
  for (const status of GRANTS) {
    await db.insertInto("access_requests").values({ id: `req-${status}`, secret_name: "STRIPE_KEY", service_name: `svc-${status}`, status, requested_at: at }).execute();
  }
  // Chained as the old release did: a plain insert after the last row (today's append also covers the row's time with a partition).
  let prev = GENESIS_HASH;
  for (const [i, action] of ["secret.create", "secret.value.set", "token.approve"].entries()) {
    const row = { at, actor_type: "admin", actor_id: "admin:1", action, target: "secret:STRIPE_KEY", result: "ok" };
    const hash = auditRowHash(auditKey, prev, i + 1, row);
    await db.insertInto("audit_log").values({ ...row, seq: i + 1, prev_hash: prev, hash }).execute();
    prev = hash;
  }
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), 3)`.execute(db);
  return ids;
}

async function assertUpgraded(db: Kysely<Database>, ids: Record<string, string>): Promise<void> {
  const envs = await listEnvironments(db);
  expect(envs.map((e) => [e.name, e.is_default, e.legacy, e.protected])).toEqual([
    ["development", false, false, false],
    ["staging", false, false, false],
    ["production", true, true, false],
  ]);
  const production = envs.find((e) => e.name === "production")!.id;
  expect(envs.every((e) => /^env_[0-9a-f]{32}$/.test(e.id))).toBe(true);

  // Every row moved, with its id (so its values' AAD), status and version.
  const secrets = await db.selectFrom("secrets").selectAll().orderBy("name").execute();
  expect(secrets.map((s) => [s.name, s.id, s.status, s.current_version, s.environment_id])).toEqual(
    [...SECRETS].sort((a, b) => a.name.localeCompare(b.name)).map((s) => [s.name, ids[s.name], s.status, s.values.length, production]),
  );
  for (const s of SECRETS) {
    const meta = await getSecretMetadata(db, { environmentId: production, name: s.name });
    // Migration 0521 moves the old free-form labels to the one vocabulary (api_key is api-key).
    expect(meta).toMatchObject({ description: s.description, type: s.type.replace("_", "-"), rotation_days: s.rotation, reminder_days: 14, created_by: "admin:1" });
    for (const [i, value] of s.values.entries()) {
      const read = await readSecretValue(db, envelope, { environmentId: production, name: s.name, version: i + 1 });
      expect(read).toEqual(s.status === "disabled" ? { kind: "disabled" } : { kind: "ok", value, version: i + 1 });
    }
  }
  expect(await readSecretValue(db, envelope, { environmentId: production, name: "STRIPE_KEY" })).toEqual({ kind: "ok", value: "sk_3", version: 3 });
  expect(Number((await db.selectFrom("secret_versions").select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow()).n)).toBe(4);

  const tokens = await db.selectFrom("service_tokens").select(["id", "status", "environment_id", "token_hash"]).orderBy("id").execute();
  expect(tokens).toEqual(TOKENS.map((status) => ({ id: `tok-${status}`, status, environment_id: production, token_hash: hashToken(`kws_${status}`) })).sort((a, b) => a.id.localeCompare(b.id)));
  const grants = await db.selectFrom("access_requests").select(["id", "status", "environment_id"]).orderBy("id").execute();
  expect(grants).toEqual(GRANTS.map((status) => ({ id: `req-${status}`, status, environment_id: production })).sort((a, b) => a.id.localeCompare(b.id)));

  // Old audit rows are not rewritten and still verify; new rows with an environment chain after them,
  // through both append paths (the locked one and keyward_audit_append_rows).
  expect(await db.selectFrom("audit_log").select("environment").where("environment", "is not", null).execute()).toEqual([]);
  await appendAudit(db, auditKey, { at, actor_type: "admin", actor_id: "admin:1", action: "secret.value.set", target: "secret:STRIPE_KEY", result: "ok", environment: "production" });
  await appendAuditBatch(db, auditKey, undefined, [
    { at, actor_type: "service", actor_id: "svc", action: "secret.read", target: "secret:STRIPE_KEY", result: "ok", environment: "production" },
    { at, actor_type: "service", actor_id: "?", action: "token.refused", target: "token", result: "refused", count: 3, environment: "production" },
  ]);
  expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 6 });
  // The environment is covered by the hash: changing it breaks the chain at that row.
  await db.updateTable("audit_log").set({ environment: "development" }).where("seq", "=", 5).execute();
  expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: false, firstBadSeq: 5 });
}

async function assertFresh(db: Kysely<Database>): Promise<void> {
  const envs = await listEnvironments(db);
  expect(envs.map((e) => [e.name, e.is_default, e.legacy, e.protected])).toEqual([
    ["development", true, false, false],
    ["staging", false, false, false],
    ["production", false, false, true],
  ]);
}

describe("migration 0400-environments on pglite", () => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("moves every value, version, token, grant and audit row of an older database into production, losslessly", async () => {
    open = wrapPglite(await PGlite.create());
    await migrateBeforeEnvironments(open.db);
    const ids = await fillOldSchema(open.db);
    expect(await migrateToLatest(open.db)).toEqual(Object.keys(migrations).filter((name) => name >= "0400"));
    await assertUpgraded(open.db, ids);
  });

  it("gives a fresh database development (default), staging and production (protected)", async () => {
    open = await freshPglite();
    await assertFresh(open.db);
  });
});

describe("migration 0400-environments on postgres", () => {
  const postgres = createPostgresTestDatabases({ prefix: "keyward_env_upgrade" });
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  afterAll(() => postgres.dropAll());

  it("moves every value, version, token, grant and audit row of an older database into production, losslessly", async () => {
    open = connectPostgres(await postgres.freshUrl({ migrate: false }), { max: 2 });
    await migrateBeforeEnvironments(open.db);
    const ids = await fillOldSchema(open.db);
    expect(await migrateToLatest(open.db)).toEqual(Object.keys(migrations).filter((name) => name >= "0400"));
    await assertUpgraded(open.db, ids);
  });

  it("gives a fresh database development (default), staging and production (protected)", async () => {
    open = await freshPostgres();
    await assertFresh(open.db);
  });

  it("is one transaction: a failure part-way leaves the older schema and its data as they were", async () => {
    open = connectPostgres(await postgres.freshUrl({ migrate: false }), { max: 2 });
    await migrateBeforeEnvironments(open.db);
    await fillOldSchema(open.db);
    // Fail the migration after it has created environments and definitions, when it moves the rows.
    await sql`create function keyward_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(open.db);
    await sql`create trigger keyward_fail before update on secrets for each statement execute function keyward_fail()`.execute(open.db);
    await expect(migrateToLatest(open.db)).rejects.toThrow(/0400-environments failed: injected failure/);
    expect(await sql`select to_regclass('environments') is null as absent`.execute(open.db)).toMatchObject({ rows: [{ absent: true }] });
    const old = await sql<{ description: string }>`select description from secrets where name = 'STRIPE_KEY'`.execute(open.db);
    expect(old.rows).toEqual([{ description: "Stripe" }]);
  });
});
