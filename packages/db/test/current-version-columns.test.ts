import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import {
  createEnvironment,
  createSecretStub,
  createSigningKey,
  createWriteHints,
  getSecretMetadata,
  listSecrets,
  listSecretsMatrix,
  promoteSecretValue,
  rollbackSecret,
  rotateSigningKey,
  setSecretValue,
  type Database,
  type KeywardDatabase,
  type ValueCheck,
} from "../src/index.js";
import { keywardMigrator } from "../src/migrate.js";
import { defaultEnvironmentId } from "../src/testing.js";
import { backends } from "./harness.js";

// Migration 0610: a secret's row carries its current version's write time and metadata, which every
// write keeps there. The admin pages read them from the row; these tests hold them to the version's.
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const t0 = new Date("2026-05-06T07:08:09.123Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const check: ValueCheck = (value) => ({ ok: true, metadata: value.startsWith("sk-") ? { provider: "openai", length: value.length } : ({} as Record<string, never>) });

/** Every secret whose row disagrees with its current version (or, for a stub, holds anything). */
async function drift(db: Kysely<Database>) {
  const { rows } = await sql<{ name: string; environment_id: string }>`select s.name, s.environment_id from secrets s
    left join secret_versions v on v.secret_id = s.id and v.version = s.current_version
    where s.last_rotated_at is distinct from v.created_at or s.metadata_json is distinct from v.metadata_json`.execute(db);
  return rows;
}

describe.each(backends)("the current version's columns on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("follow every write: the locked path, the hinted path, pruning, rollback, promotion and signing keys", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    const qa = await createEnvironment(db, { name: "qa", actor: "t", at: t0 });
    if (qa.kind !== "ok") throw new Error(qa.kind);
    const hints = createWriteHints();
    await createSecretStub(db, { environmentId, name: "OPENAI_KEY", description: "llm", requestedBy: "t", at: t0 });
    await createSecretStub(db, { environmentId, name: "STUB_ONLY", description: "never filled", requestedBy: "t", at: t0 });
    expect(await drift(db)).toEqual([]);

    const write = (value: string, at: Date, extra: { keepVersions?: number } = {}) =>
      setSecretValue(db, envelope, { environmentId, name: "OPENAI_KEY", value, actor: "admin", at, check, hints, ...extra });
    expect(await write("sk-first", minutes(1))).toMatchObject({ kind: "ok", version: 1 }); // locked path: no hint yet
    expect(await drift(db)).toEqual([]);
    expect(await write("plain", minutes(2))).toMatchObject({ kind: "ok", version: 2 }); // hinted path, no metadata
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(2), metadata_json: null });
    expect(await write("sk-third-value", minutes(3), { keepVersions: 2 })).toMatchObject({ kind: "ok", version: 3 }); // hinted, prunes version 1
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(3), metadata_json: JSON.stringify({ provider: "openai", length: 14 }) });
    expect(await drift(db)).toEqual([]);

    // Rollback writes the old value as a new version, with its metadata, at the rollback's time.
    expect(await rollbackSecret(db, envelope, { environmentId, name: "OPENAI_KEY", toVersion: 2, actor: "admin", at: minutes(4) })).toMatchObject({ kind: "ok", version: 4 });
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(4), metadata_json: null });
    // Promotion makes the target's row and writes it; the source keeps its own time.
    expect(await rollbackSecret(db, envelope, { environmentId, name: "OPENAI_KEY", toVersion: 3, actor: "admin", at: minutes(5) })).toMatchObject({ kind: "ok", version: 5 });
    expect(await promoteSecretValue(db, envelope, { name: "OPENAI_KEY", fromEnvironmentId: environmentId, toEnvironmentId: qa.environment.id, actor: "admin", at: minutes(6) })).toMatchObject({ kind: "ok", version: 1 });
    expect(await getSecretMetadata(db, { environmentId: qa.environment.id, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(6), metadata_json: JSON.stringify({ provider: "openai", length: 14 }) });
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(5) });

    expect(await createSigningKey(db, envelope, { environmentId, name: "JWT_SIGNING", algorithm: "ed25519", actor: "admin", at: minutes(7) })).toMatchObject({ kind: "ok" });
    expect(await rotateSigningKey(db, envelope, { environmentId, name: "JWT_SIGNING", actor: "admin", at: minutes(8) })).toMatchObject({ kind: "ok" });
    expect(await getSecretMetadata(db, { environmentId, name: "JWT_SIGNING" })).toMatchObject({ current_version: 2, last_rotated_at: minutes(8) });

    // A write refused or rolled back leaves the row as it was.
    await expect(
      db.transaction().execute(async (trx) => {
        await setSecretValue(trx, envelope, { environmentId, name: "OPENAI_KEY", value: "sk-never-kept", actor: "admin", at: minutes(9), check, hints });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await write("plain again", minutes(10))).toMatchObject({ kind: "ok", version: 6 }); // the stale hint falls back to the locked path
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ last_rotated_at: minutes(10), metadata_json: null });
    expect(await drift(db)).toEqual([]);

    // The pages show the same thing: the list and rotation filter, and the matrix.
    const page = await listSecrets(db, { environmentId, now: minutes(11) });
    expect(page.items.map((s) => [s.name, s.last_rotated_at, s.metadata_json])).toEqual([
      ["JWT_SIGNING", minutes(8), null],
      ["OPENAI_KEY", minutes(10), null],
      ["STUB_ONLY", null, null],
    ]);
    expect((await listSecrets(db, { environmentId, rotation: "no_value", now: minutes(11) })).items.map((s) => s.name)).toEqual(["STUB_ONLY"]);
    expect((await listSecrets(db, { environmentId, rotation: "ok", now: minutes(11) })).items.map((s) => s.name)).toEqual(["JWT_SIGNING", "OPENAI_KEY"]);
    const matrix = await listSecretsMatrix(db, { q: "OPENAI" });
    expect(matrix.items[0]!.cells.map((c) => c.last_rotated_at).sort((a, b) => a!.getTime() - b!.getTime())).toEqual([minutes(6), minutes(10)]);
  });

  it("follow a write by a server of the previous release during a rolling upgrade", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "CERT", description: "tls", requestedBy: "t", at: t0 });
    expect(await setSecretValue(db, envelope, { environmentId, name: "CERT", value: "sk-new-release", actor: "admin", at: minutes(1), check })).toMatchObject({ kind: "ok", version: 1 });
    // The previous release's write: the version inserted and the secret moved in one statement, without the new columns.
    const { id } = await db.selectFrom("secrets").select("id").where("name", "=", "CERT").executeTakeFirstOrThrow();
    const oldWrite = (version: number, at: Date, metadata: string | null) => sql`with added as (
        insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, metadata_json, created_at, created_by)
        values (${id}, ${version}, ${Buffer.from("c")}, ${Buffer.from("w")}, 'k', 2, ${metadata}, ${at}, 'old')
      ) update secrets set current_version = ${version}, status = 'active', updated_at = ${at}, updated_by = 'old' where id = ${id}`.execute(db);
    await oldWrite(2, minutes(2), '{"notAfter":"2027-01-01"}');
    expect(await getSecretMetadata(db, { environmentId, name: "CERT" })).toMatchObject({ current_version: 2, last_rotated_at: minutes(2), metadata_json: '{"notAfter":"2027-01-01"}' });
    await oldWrite(3, minutes(3), null);
    expect(await getSecretMetadata(db, { environmentId, name: "CERT" })).toMatchObject({ current_version: 3, last_rotated_at: minutes(3), metadata_json: null });
    expect(await drift(db)).toEqual([]);
    // A metadata edit, which moves no version, leaves them alone; this release's next write sets them itself.
    await db.updateTable("secrets").set({ updated_at: minutes(4), updated_by: "admin" }).where("id", "=", id).execute();
    expect(await setSecretValue(db, envelope, { environmentId, name: "CERT", value: "sk-again", actor: "admin", at: minutes(5), check })).toMatchObject({ kind: "ok", version: 4 });
    expect(await getSecretMetadata(db, { environmentId, name: "CERT" })).toMatchObject({ last_rotated_at: minutes(5), metadata_json: JSON.stringify({ provider: "openai", length: 8 }) });
    expect(await drift(db)).toEqual([]);
  });

  it("are filled from the current version by the migration, and dropped by its down", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    const migrator = keywardMigrator(db);
    expect((await migrator.migrateTo("0600-audit-append-json")).error).toBeUndefined();
    const columns = async () => (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'secrets'`.execute(db)).rows.map((r) => r.column_name);
    expect(await columns()).not.toContain("last_rotated_at");
    // Written as a server of the previous release would: versions 1 and 2, the current one 2; a stub; a secret on version 1 of 2 (moved back by hand).
    for (const [id, name, current] of [["s1", "TWO_VERSIONS", 2], ["s2", "A_STUB", 0], ["s3", "BEHIND", 1]] as const) {
      await sql`insert into secret_definitions (name, description, created_at, created_by, updated_at, updated_by) values (${name}, '', ${t0}, 't', ${t0}, 't')`.execute(db);
      await sql`insert into secrets (id, name, environment_id, status, current_version, created_at, created_by, updated_at, updated_by)
        values (${id}, ${name}, ${environmentId}, ${current > 0 ? "active" : "stub"}, ${current}, ${t0}, 't', ${t0}, 't')`.execute(db);
      for (let version = 1; version <= (current === 0 ? 0 : 2); version++) {
        await sql`insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, metadata_json, created_at, created_by)
          values (${id}, ${version}, ${Buffer.from("c")}, ${Buffer.from("w")}, 'k', 2, ${`{"v":${version}}`}, ${minutes(version)}, 't')`.execute(db);
      }
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await db.selectFrom("secrets").select(["name", "last_rotated_at", "metadata_json"]).orderBy("name").execute();
    expect(rows).toEqual([
      { name: "A_STUB", last_rotated_at: null, metadata_json: null },
      { name: "BEHIND", last_rotated_at: minutes(1), metadata_json: '{"v":1}' },
      { name: "TWO_VERSIONS", last_rotated_at: minutes(2), metadata_json: '{"v":2}' },
    ]);
    expect(await drift(db)).toEqual([]);
    // The change trigger is back on after the backfill.
    const { rows: triggers } = await sql<{ tgenabled: string }>`select tgenabled from pg_trigger where tgname = 'keyward_secrets_changed'`.execute(db);
    expect(triggers).toEqual([{ tgenabled: "O" }]);
    expect((await migrator.migrateTo("0600-audit-append-json")).error).toBeUndefined();
    expect(await columns()).not.toContain("last_rotated_at");
    expect(await columns()).not.toContain("metadata_json");
  });
});
