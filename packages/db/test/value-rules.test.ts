import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { keywardMigrator } from "../src/migrate.js";
import { createSecretStub, getSecretMetadata, listSecretVersions, promoteSecretValue, readSecretValue, rollbackSecret, setSecretValue, type KeywardDatabase, type ValueCheck } from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-03-04T05:06:07.000Z");

/** A check as the server's: refuses values without the sk- prefix and records what it saw. */
function recordingCheck() {
  const seen: { type: string; rulesJson: string | null }[] = [];
  const check: ValueCheck = (value, rules) => {
    seen.push(rules);
    return value.startsWith("sk-") ? { ok: true, metadata: { provider: "openai" } } : { ok: false, problem: "type llm-api-key: must start with sk-" };
  };
  return { check, seen };
}

describe.each(backends)("value rules and metadata (migration 0540) on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("checks a value against the definition's type and rules, and stores the derived metadata per version", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "OPENAI_KEY", description: "k", type: "llm-api-key", rulesJson: '{"minLength":20}', requestedBy: "t", at });
    const { check, seen } = recordingCheck();
    expect(await setSecretValue(db, envelope, { environmentId, name: "OPENAI_KEY", value: "pk-nope", actor: "admin", at, check })).toEqual({ kind: "invalid", problem: "type llm-api-key: must start with sk-" });
    expect(seen).toEqual([{ type: "llm-api-key", rulesJson: '{"minLength":20}' }]);
    // A refused value writes nothing.
    expect(await listSecretVersions(db, { environmentId, name: "OPENAI_KEY" })).toEqual([]);
    expect(await setSecretValue(db, envelope, { environmentId, name: "OPENAI_KEY", value: "sk-good", actor: "admin", at, check })).toMatchObject({ kind: "ok", version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId, name: "OPENAI_KEY" })).toEqual({ kind: "ok", value: "sk-good", version: 1, metadataJson: '{"provider":"openai"}' });
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ rules_json: '{"minLength":20}', metadata_json: '{"provider":"openai"}' });
    // Unchecked writes store no metadata; a rollback carries the old version's along.
    await setSecretValue(db, envelope, { environmentId, name: "OPENAI_KEY", value: "sk-unchecked", actor: "admin", at });
    expect(await getSecretMetadata(db, { environmentId, name: "OPENAI_KEY" })).toMatchObject({ current_version: 2, metadata_json: null });
    expect(await rollbackSecret(db, envelope, { environmentId, name: "OPENAI_KEY", toVersion: 1, actor: "admin", at })).toMatchObject({ kind: "ok", version: 3 });
    expect((await listSecretVersions(db, { environmentId, name: "OPENAI_KEY" })).map((v) => [v.version, v.metadata_json])).toEqual([
      [3, '{"provider":"openai"}'],
      [2, null],
      [1, '{"provider":"openai"}'],
    ]);
    // A promotion copies the metadata with the value.
    const staging = (await db.selectFrom("environments").select("id").where("name", "=", "staging").executeTakeFirstOrThrow()).id;
    expect(await promoteSecretValue(db, envelope, { name: "OPENAI_KEY", fromEnvironmentId: environmentId, toEnvironmentId: staging, actor: "admin", at })).toMatchObject({ kind: "ok" });
    expect(await getSecretMetadata(db, { environmentId: staging, name: "OPENAI_KEY" })).toMatchObject({ metadata_json: '{"provider":"openai"}' });
  });

  it("migration 0540 adds and removes the two columns, keeping the rows", async () => {
    const { db } = (open = await fresh());
    const migrator = keywardMigrator(db);
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "KEPT", description: "kept", requestedBy: "t", at });
    await setSecretValue(db, envelope, { environmentId, name: "KEPT", value: "v", actor: "admin", at });
    expect((await migrator.migrateTo("0521-secret-policy")).error).toBeUndefined();
    const columns = async (table: string) =>
      (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = ${table}`.execute(db)).rows.map((r) => r.column_name);
    expect(await columns("secret_definitions")).not.toContain("rules_json");
    expect(await columns("secret_versions")).not.toContain("metadata_json");
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await columns("secret_definitions")).toContain("rules_json");
    expect(await columns("secret_versions")).toContain("metadata_json");
    expect(await readSecretValue(db, envelope, { environmentId, name: "KEPT" })).toEqual({ kind: "ok", value: "v", version: 1 });
  });
});
