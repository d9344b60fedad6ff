import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import {
  cleanStoredMetadata,
  createEnvironment,
  createSecretStub,
  getSecretMetadata,
  listSecretVersions,
  readSecretValue,
  rollbackSecret,
  setSecretValue,
  verifyAuditChain,
  type Database,
  type KeywardDatabase,
  type MetadataDerivation,
  type ValueCheck,
} from "../src/index.js";
import { keywardMigrator } from "../src/migrate.js";
import { defaultEnvironmentId } from "../src/testing.js";
import { backends, freshPostgres } from "./harness.js";

// Migration 0620: metadata derived by older validators may hold parts of values (a token URL's
// query; a password with an unencoded / that the URL parser took for the port and database). The
// start-up pass derives it again with the current validators. These tests write the metadata as the
// old validators did, straight into the tables, then run the pass.
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const auditKey = randomBytes(32);
const at = new Date("2026-12-03T11:00:00.000Z");

const PASSWORD = "s3cr3tPw";
const CLIENT_SECRET = "S3cr3tValue";
/** The current validators as far as these tests need them (the service passes the real registry's). */
const derive: MetadataDerivation = (type, value): ReturnType<MetadataDerivation> => {
  if (type === "database-url") {
    // An @ after the authority ends: the password holds an unencoded / ? or #; refused now.
    const rest = value.slice(value.indexOf("://") + 3);
    const end = rest.search(/[/?#]/);
    if (end >= 0 && rest.slice(end).includes("@")) return { ok: false, problem: "percent-encode" };
    const url = new URL(value);
    return { ok: true, metadata: { scheme: url.protocol.slice(0, -1), host: url.hostname, database: url.pathname.slice(1) } };
  }
  if (type === "oauth2-client") {
    const { clientId, tokenUrl } = JSON.parse(value) as { clientId: string; tokenUrl: string };
    const url = new URL(tokenUrl);
    return { ok: true, metadata: { clientId, tokenUrl: url.origin + url.pathname } };
  }
  if (type === "pem-certificate") return { ok: true, metadata: { subject: "CN=unchanged" } };
  if (type === "generic") return { ok: true, metadata: {} };
  return undefined;
};
/** The types `derive` knows. */
const TYPES = ["database-url", "oauth2-client", "pem-certificate", "generic"];
const checkOf: ValueCheck = (value, rules) => derive(rules.type, value) ?? { ok: true, metadata: {} };

/** Every stored metadata text, of versions and of secrets' rows. */
async function allMetadata(db: Kysely<Database>): Promise<string> {
  const versions = await db.selectFrom("secret_versions").select("metadata_json").execute();
  const secrets = await db.selectFrom("secrets").select("metadata_json").execute();
  return JSON.stringify([...versions, ...secrets].map((r) => r.metadata_json));
}

/** Stores `value` as version `version` of `name`, with `metadata` as the old validators derived it (metadata_version 1, as migration 0620 leaves stored rows). */
async function storeOld(db: Kysely<Database>, environmentId: string, name: string, value: string, metadata: Record<string, unknown> | null) {
  const set = await setSecretValue(db, envelope, { environmentId, name, value, actor: "admin", at });
  if (set.kind !== "ok") throw new Error(set.kind);
  const json = metadata === null ? null : JSON.stringify(metadata);
  await db.updateTable("secret_versions").set({ metadata_json: json, metadata_version: 1 }).where("secret_id", "=", set.secretId).where("version", "=", set.version).execute();
  await db.updateTable("secrets").set({ metadata_json: json }).where("id", "=", set.secretId).execute();
  return set;
}

describe.each(backends)("cleanStoredMetadata (migration 0620) on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  /** Secrets with old metadata in two environments; returns the values to compare after. */
  async function seed(db: Kysely<Database>) {
    const environmentId = await defaultEnvironmentId(db);
    const qa = await createEnvironment(db, { name: "qa", actor: "t", at });
    if (qa.kind !== "ok") throw new Error(qa.kind);
    const stub = (name: string, type: string, env = environmentId) => createSecretStub(db, { environmentId: env, name, description: "", type, requestedBy: "t", at });
    await stub("ORDERS_DB", "database-url");
    await stub("ORDERS_DB", "database-url", qa.environment.id);
    await stub("IDP_CLIENT", "oauth2-client", qa.environment.id);
    await stub("TLS_CERT", "pem-certificate");
    await stub("ACME_TOKEN", "acme-token");
    await stub("PLAIN", "generic");
    await stub("SWAPPED", "database-url");
    const values = {
      // v1: the password "8080/s3cr3tPw" unencoded: the old parser took app:8080 for host and port, the rest for the database.
      ordersV1: `postgres://app:8080/${PASSWORD}@db.internal/orders`,
      ordersV2: "postgres://app:8080%2Fencoded@db.internal/orders",
      qaOrders: `postgres://app:x/${PASSWORD}@db.qa/orders`,
      idp: JSON.stringify({ clientId: "app", clientSecret: "b", tokenUrl: `https://idp.example/oauth/token?client_secret=${CLIENT_SECRET}` }),
    };
    await storeOld(db, environmentId, "ORDERS_DB", values.ordersV1, { scheme: "postgres", host: "app", port: 8080, database: `${PASSWORD}@db.internal/orders` });
    await storeOld(db, environmentId, "ORDERS_DB", values.ordersV2, { scheme: "postgres", host: "db.internal", database: "orders" });
    await storeOld(db, qa.environment.id, "ORDERS_DB", values.qaOrders, { scheme: "postgres", host: "app", database: `${PASSWORD}@db.qa/orders` });
    await storeOld(db, qa.environment.id, "IDP_CLIENT", values.idp, { clientId: "app", tokenUrl: `https://idp.example/oauth/token?client_secret=${CLIENT_SECRET}` });
    await storeOld(db, environmentId, "TLS_CERT", "-----BEGIN CERTIFICATE-----", { subject: "CN=unchanged" });
    await storeOld(db, environmentId, "ACME_TOKEN", "acme_123", { region: "eu" });
    await storeOld(db, environmentId, "PLAIN", "plain value", null);
    // SWAPPED's ciphertext is ORDERS_DB v2's: it no longer opens under its own binding.
    const swapped = await storeOld(db, environmentId, "SWAPPED", `postgres://u:p/${PASSWORD}@h/d`, { scheme: "postgres", host: "u", database: `${PASSWORD}@h/d` });
    const donor = await db.selectFrom("secret_versions as v").innerJoin("secrets as s", "s.id", "v.secret_id").select(["v.ciphertext"]).where("s.name", "=", "ORDERS_DB").where("s.environment_id", "=", environmentId).where("v.version", "=", 2).executeTakeFirstOrThrow();
    await db.updateTable("secret_versions").set({ ciphertext: donor.ciphertext }).where("secret_id", "=", swapped.secretId).execute();
    return { environmentId, qaId: qa.environment.id, values };
  }

  it("derives the metadata again: value parts gone from versions and current rows, refusals and unreadable values cleared and reported, audited once per batch", async () => {
    const { db } = (open = await fresh());
    const { environmentId, qaId, values } = await seed(db);
    expect(await allMetadata(db)).toContain(PASSWORD);
    expect(await allMetadata(db)).toContain(CLIENT_SECRET);

    const derivedTypes: string[] = [];
    const progress: [number, number][] = [];
    const counting: MetadataDerivation = (type, value) => (derivedTypes.push(type), derive(type, value));
    const result = await cleanStoredMetadata(db, envelope, { derive: counting, types: TYPES, auditKey, actor: "keyward", at: () => at, batchSize: 2, onProgress: (done, total) => progress.push([done, total]) });
    // A type it does not know is never opened (nor locked): only counted.
    expect(derivedTypes).not.toContain("acme-token");
    expect(result.unknownTypes).toEqual({ "acme-token": 1 });
    // Batches of 2 over the 6 versions of known types with metadata; the last report is the whole.
    expect(progress).toEqual([
      [2, 6],
      [4, 6],
      [6, 6],
    ]);
    expect(result.checked).toBe(5); // ORDERS_DB v1 and v2, qa ORDERS_DB, IDP_CLIENT, TLS_CERT; not PLAIN (no metadata), ACME_TOKEN (unknown type) or SWAPPED (unreadable)
    expect(result.replaced).toBe(1); // IDP_CLIENT: endpoint only
    const byName = (a: { environment: string; secret: string; version: number }, b: typeof a) => `${a.environment}/${a.secret}/${a.version}`.localeCompare(`${b.environment}/${b.secret}/${b.version}`);
    expect(result.refused.sort(byName)).toEqual([
      { environment: "development", secret: "ORDERS_DB", version: 1 },
      { environment: "qa", secret: "ORDERS_DB", version: 1 },
    ]);
    expect(result.unreadable).toEqual([{ environment: "development", secret: "SWAPPED", version: 1 }]);
    expect(result.unknownTypes).toEqual({ "acme-token": 1 });
    // The report names versions only.
    expect(JSON.stringify(result)).not.toMatch(new RegExp(`${PASSWORD}|${CLIENT_SECRET}|db\\.internal`));

    // No metadata holds a part of a value any more, on the versions or on the secrets' rows.
    expect(await allMetadata(db)).not.toContain(PASSWORD);
    expect(await allMetadata(db)).not.toContain(CLIENT_SECRET);
    expect((await listSecretVersions(db, { environmentId, name: "ORDERS_DB" })).map((v) => [v.version, v.metadata_json])).toEqual([
      [2, JSON.stringify({ scheme: "postgres", host: "db.internal", database: "orders" })],
      [1, null],
    ]);
    expect(await getSecretMetadata(db, { environmentId: qaId, name: "ORDERS_DB" })).toMatchObject({ metadata_json: null });
    expect(await getSecretMetadata(db, { environmentId: qaId, name: "IDP_CLIENT" })).toMatchObject({ metadata_json: JSON.stringify({ clientId: "app", tokenUrl: "https://idp.example/oauth/token" }) });
    expect(await getSecretMetadata(db, { environmentId, name: "TLS_CERT" })).toMatchObject({ metadata_json: JSON.stringify({ subject: "CN=unchanged" }) });
    // A type this process does not know keeps its metadata, unchecked, for a start that knows it.
    expect(await getSecretMetadata(db, { environmentId, name: "ACME_TOKEN" })).toMatchObject({ metadata_json: JSON.stringify({ region: "eu" }) });
    expect(await getSecretMetadata(db, { environmentId, name: "SWAPPED" })).toMatchObject({ metadata_json: null });

    // The values are as they were, and still read.
    expect(await readSecretValue(db, envelope, { environmentId, name: "ORDERS_DB", version: 1 })).toEqual({ kind: "ok", value: values.ordersV1, version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId, name: "ORDERS_DB" })).toMatchObject({ kind: "ok", value: values.ordersV2, version: 2 });
    expect(await readSecretValue(db, envelope, { environmentId: qaId, name: "ORDERS_DB" })).toEqual({ kind: "ok", value: values.qaOrders, version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId: qaId, name: "IDP_CLIENT" })).toMatchObject({ kind: "ok", value: values.idp });
    expect(await readSecretValue(db, envelope, { environmentId, name: "PLAIN" })).toEqual({ kind: "ok", value: "plain value", version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId, name: "SWAPPED" })).toMatchObject({ kind: "integrity" });

    // One audit row per batch that changed something, counting what it changed; the chain verifies.
    const audit = await db.selectFrom("audit_log").select(["action", "target", "actor_id", "reason"]).execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((a) => `${a.action} ${a.target} ${a.actor_id}`))).toEqual(new Set(["values.metadata_clean secret_versions keyward"]));
    const counts = audit.map((a) => /^metadata of (\d+) versions derived again: (\d+) replaced, (\d+) cleared \(refused by their type now\), (\d+) cleared \(value unreadable\)$/.exec(a.reason ?? "")!.slice(1).map(Number));
    expect(counts.reduce((sum, c) => sum.map((n, i) => n + c[i]!), [0, 0, 0, 0])).toEqual([4, 1, 2, 1]);
    expect(JSON.stringify(audit)).not.toMatch(new RegExp(`${PASSWORD}|${CLIENT_SECRET}`));
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: audit.length });

    // Run again: nothing left but the unknown type; no audit row.
    expect(await cleanStoredMetadata(db, envelope, { derive, types: TYPES, auditKey, actor: "keyward", at: () => at })).toEqual({ checked: 0, replaced: 0, refused: [], unreadable: [], unknownTypes: { "acme-token": 1 } });
    expect(await db.selectFrom("audit_log").select("seq").execute()).toHaveLength(audit.length);
    // With the type known, its version is checked too (its metadata was already right).
    const knowsAcme: MetadataDerivation = (type, value) => (type === "acme-token" ? { ok: true, metadata: { region: "eu" } } : derive(type, value));
    expect(await cleanStoredMetadata(db, envelope, { derive: knowsAcme, types: [...TYPES, "acme-token"], auditKey, actor: "keyward", at: () => at })).toEqual({ checked: 1, replaced: 0, refused: [], unreadable: [], unknownTypes: {} });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from secret_versions where metadata_version < 2 and metadata_json is not null`.execute(db);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("marks what this release's writes derive as checked, and checks metadata copied by a rollback again", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "IDP_CLIENT", description: "", type: "oauth2-client", requestedBy: "t", at });
    const tokenUrl = `https://idp.example/token?client_secret=${CLIENT_SECRET}`;
    // Version 1 as an old server (or one of the previous release during a rolling upgrade) wrote it; version 2 by this release.
    await storeOld(db, environmentId, "IDP_CLIENT", JSON.stringify({ clientId: "app", clientSecret: "b", tokenUrl }), { clientId: "app", tokenUrl });
    expect(await setSecretValue(db, envelope, { environmentId, name: "IDP_CLIENT", value: JSON.stringify({ clientId: "app2", clientSecret: "c", tokenUrl }), actor: "admin", at, check: checkOf })).toMatchObject({ kind: "ok", version: 2 });
    // A rollback copies version 1's metadata as it is: only as clean as its source, so it is checked again at the next start.
    expect(await rollbackSecret(db, envelope, { environmentId, name: "IDP_CLIENT", toVersion: 1, actor: "admin", at })).toMatchObject({ kind: "ok", version: 3 });
    const marks = await db.selectFrom("secret_versions").select(["version", "metadata_version"]).orderBy("version").execute();
    expect(marks).toEqual([
      { version: 1, metadata_version: 1 },
      { version: 2, metadata_version: 2 },
      { version: 3, metadata_version: 1 },
    ]);
    expect(await allMetadata(db)).toContain(CLIENT_SECRET);

    const result = await cleanStoredMetadata(db, envelope, { derive, types: TYPES, auditKey, actor: "keyward", at: () => at });
    expect(result).toEqual({ checked: 2, replaced: 2, refused: [], unreadable: [], unknownTypes: {} });
    expect(await allMetadata(db)).not.toContain(CLIENT_SECRET);
    expect(await getSecretMetadata(db, { environmentId, name: "IDP_CLIENT" })).toMatchObject({ current_version: 3, metadata_json: JSON.stringify({ clientId: "app", tokenUrl: "https://idp.example/token" }) });
    expect(await readSecretValue(db, envelope, { environmentId, name: "IDP_CLIENT" })).toMatchObject({ kind: "ok", value: JSON.stringify({ clientId: "app", clientSecret: "b", tokenUrl }), version: 3 });
    expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: true });
  });

  it("writes each batch with one statement whatever its size, escaping metadata text exactly, and copies it to the secret's row only for a changed current version", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    // Text an array parameter must quote: quotes, backslashes, braces, commas, NULL, spaces, non-ASCII, a newline.
    const TRICKY = 'a "quoted" \\ {brace}, NULL  ü 🔑\nend';
    const tricky: MetadataDerivation = (type, value) => (type === "tricky" ? { ok: true, metadata: { note: TRICKY, value: value.length, empty: "", nul: "NULL" } } : derive(type, value));
    const names = Array.from({ length: 10 }, (_, i) => `TRICKY_${i}`);
    for (const name of names) {
      await createSecretStub(db, { environmentId, name, description: "", type: "tricky", requestedBy: "t", at });
      await storeOld(db, environmentId, name, `old value of ${name}`, { note: "leaked" });
    }
    // Two versions each for the first two: v1 is no longer current; its secret's row keeps v2's copy.
    for (const name of names.slice(0, 2)) await storeOld(db, environmentId, name, `new value of ${name}`, { note: "leaked too" });
    // And one already right (TRICKY_9 v2): only marked.
    const expected = (value: string) => JSON.stringify({ note: TRICKY, value: value.length, empty: "", nul: "NULL" });
    await storeOld(db, environmentId, "TRICKY_9", "right", JSON.parse(expected("right")) as Record<string, unknown>);

    // Every statement sent, and which batch sent it (onProgress ends a batch).
    const statements: string[][] = [[]];
    const counted = db.withPlugin({
      transformQuery: (args) => (statements[statements.length - 1]!.push(args.node.kind), args.node),
      transformResult: async (args) => args.result,
    });
    const result = await cleanStoredMetadata(counted, envelope, { derive: tricky, types: ["tricky"], auditKey, actor: "keyward", at: () => at, batchSize: 5, onProgress: () => void statements.push([]) });
    expect(result).toEqual({ checked: 13, replaced: 12, refused: [], unreadable: [], unknownTypes: {} });
    const batches = statements.slice(0, -1);
    expect(batches.map((b) => b.length > 0)).toEqual([true, true, true]); // 5, 5 and 3 versions
    // One UPDATE per batch (versions and secrets' rows together), and as many statements in a batch of 3 as in one of 5.
    expect(batches.map((b) => b.filter((k) => k === "UpdateQueryNode").length)).toEqual([1, 1, 1]);
    expect(batches[2]!.length).toBe(batches[1]!.length);

    const versions = await db.selectFrom("secret_versions as v").innerJoin("secrets as s", "s.id", "v.secret_id").select(["s.name", "v.version", "v.metadata_json", "v.metadata_version"]).orderBy("s.name").orderBy("v.version").execute();
    expect(versions).toHaveLength(13);
    for (const v of versions) {
      const value = v.name === "TRICKY_9" && v.version === 2 ? "right" : `${v.version === 1 ? "old" : "new"} value of ${v.name}`;
      expect(v).toEqual({ name: v.name, version: v.version, metadata_json: expected(value), metadata_version: 2 });
      expect(JSON.parse(v.metadata_json!)).toMatchObject({ note: TRICKY });
    }
    const rows = await db.selectFrom("secrets").select(["name", "current_version", "metadata_json"]).orderBy("name").execute();
    for (const r of rows) expect(r.metadata_json).toBe(expected(r.name === "TRICKY_9" ? "right" : `${r.current_version === 1 ? "old" : "new"} value of ${r.name}`));
    expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: true });
  });

  it("the migration marks stored versions to check and indexes only those; its down drops both", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "ORDERS_DB", description: "", type: "database-url", requestedBy: "t", at });
    const migrator = keywardMigrator(db);
    expect((await migrator.migrateTo("0610-current-version-columns")).error).toBeUndefined();
    const { id } = await db.selectFrom("secrets").select("id").where("name", "=", "ORDERS_DB").executeTakeFirstOrThrow();
    // Written as a server of the previous release did (no metadata_version column).
    for (const [version, metadata] of [[1, `{"database":"${PASSWORD}@db/orders"}`], [2, null]] as const) {
      await sql`insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, metadata_json, created_at, created_by)
        values (${id}, ${version}, ${Buffer.from("c")}, ${Buffer.from("w")}, 'k', 2, ${metadata}, ${at}, 'old')`.execute(db);
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await db.selectFrom("secret_versions").select(["version", "metadata_version"]).orderBy("version").execute()).toEqual([
      { version: 1, metadata_version: 1 },
      { version: 2, metadata_version: 1 },
    ]);
    const index = async () => (await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'secret_versions_metadata_unchecked'`.execute(db)).rows.map((r) => r.indexdef);
    expect(await index()).toEqual([expect.stringMatching(/WHERE \(\(metadata_version < 2\) AND \(metadata_json IS NOT NULL\)\)/)]);
    expect((await migrator.migrateTo("0610-current-version-columns")).error).toBeUndefined();
    expect(await index()).toEqual([]);
    const columns = (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'secret_versions'`.execute(db)).rows.map((r) => r.column_name);
    expect(columns).not.toContain("metadata_version");
  });
  it("migration 0630 marks again the metadata of the types whose validators leaked, and only theirs", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    const migrator = keywardMigrator(db);
    expect((await migrator.migrateTo("0620-metadata-version")).error).toBeUndefined();
    const stored = [
      ["ORDERS_DB", "database-url", '{"host":"app","port":5432}'],
      ["DEPLOY_KEY", "ssh-private-key", '{"keyAlgorithm":"ssh-ed25519"}'],
      ["EMPTY_DB", "database-url", null],
      ["MAILER", "smtp", '{"host":"smtp.example"}'],
    ] as const;
    for (const [name, type, metadata] of stored) {
      await createSecretStub(db, { environmentId, name, description: "", type, requestedBy: "t", at });
      const { id } = await db.selectFrom("secrets").select("id").where("name", "=", name).executeTakeFirstOrThrow();
      await sql`insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, metadata_json, metadata_version, created_at, created_by)
        values (${id}, 1, ${Buffer.from("c")}, ${Buffer.from("w")}, 'k', 2, ${metadata}, 2, ${at}, 't')`.execute(db);
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const marks = await db.selectFrom("secret_versions as v").innerJoin("secrets as s", "s.id", "v.secret_id").select(["s.name", "v.metadata_version"]).orderBy("s.name").execute();
    expect(marks).toEqual([
      { name: "DEPLOY_KEY", metadata_version: 1 },
      { name: "EMPTY_DB", metadata_version: 2 },
      { name: "MAILER", metadata_version: 2 },
      { name: "ORDERS_DB", metadata_version: 1 },
    ]);
  });
});

describe("cleanStoredMetadata with two replicas starting together (postgres)", () => {
  it("splits the work: each version is cleaned once, by one of them, and audited once", async () => {
    const database = await freshPostgres();
    try {
      const { db } = database;
      const environmentId = await defaultEnvironmentId(db);
      const names = Array.from({ length: 30 }, (_, i) => `IDP_${String(i).padStart(2, "0")}`);
      for (const name of names) {
        await createSecretStub(db, { environmentId, name, description: "", type: "oauth2-client", requestedBy: "t", at });
        const tokenUrl = `https://idp.example/token?client_secret=${CLIENT_SECRET}`;
        await storeOld(db, environmentId, name, JSON.stringify({ clientId: name, clientSecret: "b", tokenUrl }), { clientId: name, tokenUrl });
      }
      const run = () => cleanStoredMetadata(db, envelope, { derive, types: TYPES, auditKey, actor: "keyward", at: () => at, batchSize: 4 });
      const [a, b] = await Promise.all([run(), run()]);
      expect(a.replaced + b.replaced).toBe(names.length);
      expect(a.checked + b.checked).toBe(names.length);
      expect(await allMetadata(db)).not.toContain(CLIENT_SECRET);
      const audit = await db.selectFrom("audit_log").select("reason").where("action", "=", "values.metadata_clean").execute();
      expect(audit.reduce((n, r) => n + Number(/^metadata of (\d+) versions/.exec(r.reason ?? "")![1]), 0)).toBe(names.length);
      expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: true });
    } finally {
      await database.close();
    }
  });
});
