import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { sql, type KyselyPlugin } from "kysely";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createSecretStub, createWriteHints, deleteSecret, listSecretVersions, readSecretValue, setSecretEnabled, setSecretValue, updateSecretMetadata, type KeywardDatabase, type ValueCheck } from "../src/index.js";
import { defaultEnvironmentId } from "../src/testing.js";
import { backends, freshPostgres } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-03-04T05:06:07.000Z");

/** Counts the statements a write sends (BEGIN and COMMIT aside): 1 on a good hint, 2 without one, 3 on a stale one. */
function counting() {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { plugin, take: () => [count, (count = 0)][0]! };
}

/** Refuses values that break a `maxLength` rule, if the secret declares one. */
const check: ValueCheck = (value, rules) => {
  const max = rules.rulesJson ? (JSON.parse(rules.rulesJson) as { maxLength?: number }).maxLength : undefined;
  return max !== undefined && value.length > max ? { ok: false, problem: `longer than ${max}` } : { ok: true, metadata: { length: value.length } };
};

describe.each(backends)("setSecretValue with write hints on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  async function setup() {
    const { db: plain } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(plain);
    await createSecretStub(plain, { environmentId, name: "API_KEY", description: "k", requestedBy: "t", at });
    const statements = counting();
    const db = plain.withPlugin(statements.plugin);
    const hints = createWriteHints();
    const write = (value: string, extra: { expectedVersion?: number; keepVersions?: number } = {}) => setSecretValue(db, envelope, { environmentId, name: "API_KEY", value, actor: "admin", at, check, hints, ...extra });
    const read = async () => readSecretValue(plain, envelope, { environmentId, name: "API_KEY" });
    return { plain, environmentId, hints, write, read, statements };
  }

  it("writes one statement per value once it has a hint, with versions, values and pruning as the locked path", async () => {
    const { plain, environmentId, hints, write, read, statements } = await setup();
    expect(await write("v1")).toMatchObject({ kind: "ok", version: 1 });
    expect(statements.take()).toBe(2);
    expect(hints.get(environmentId, "API_KEY")).toMatchObject({ version: 1, type: "generic", rulesJson: null });
    for (let i = 2; i <= 12; i++) {
      expect(await write(`v${i}`, { keepVersions: 3 })).toMatchObject({ kind: "ok", version: i });
      expect(statements.take()).toBe(1);
    }
    expect(await read()).toMatchObject({ kind: "ok", value: "v12", version: 12 });
    expect((await listSecretVersions(plain, { environmentId, name: "API_KEY" })).map((v) => v.version)).toEqual([12, 11, 10]);
    const row = await plain.selectFrom("secret_versions").select(["metadata_json", "aad_version", "created_by"]).where("version", "=", 12).executeTakeFirstOrThrow();
    expect(row).toEqual({ metadata_json: JSON.stringify({ length: 3 }), aad_version: 2, created_by: "admin" });
    expect(await write("v13", { expectedVersion: 12 })).toMatchObject({ kind: "ok", version: 13 });
    expect(statements.take()).toBe(1);
  });

  it("takes the locked path when another writer moved the secret, and gets the right version", async () => {
    const { plain, environmentId, write, read, statements } = await setup();
    await write("mine");
    await setSecretValue(plain, envelope, { environmentId, name: "API_KEY", value: "theirs", actor: "other", at });
    statements.take();
    expect(await write("mine again")).toMatchObject({ kind: "ok", version: 3 });
    expect(statements.take()).toBe(3);
    expect(await read()).toMatchObject({ kind: "ok", value: "mine again", version: 3 });
    expect((await listSecretVersions(plain, { environmentId, name: "API_KEY" })).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it("refuses as the locked path does: disabled, a version conflict, changed rules, a recreated secret", async () => {
    const { plain, environmentId, hints, write, read } = await setup();
    await write("v1");
    await setSecretEnabled(plain, { environmentId, name: "API_KEY", enabled: false, actor: "admin", at });
    expect(await write("while disabled")).toEqual({ kind: "disabled" });
    await setSecretEnabled(plain, { environmentId, name: "API_KEY", enabled: true, actor: "admin", at });

    expect(await write("stale", { expectedVersion: 0 })).toEqual({ kind: "version_conflict", currentVersion: 1 });

    // The hint still says "no rules": the statement sees the new rule and the locked path refuses.
    await plain.updateTable("secret_definitions").set({ rules_json: JSON.stringify({ maxLength: 3 }) }).where("name", "=", "API_KEY").execute();
    expect(await write("too long")).toEqual({ kind: "invalid", problem: "longer than 3" });
    expect(await read()).toMatchObject({ kind: "ok", value: "v1", version: 1 });
    expect(await write("ok")).toMatchObject({ kind: "ok", version: 2 });
    expect(hints.get(environmentId, "API_KEY")).toMatchObject({ version: 2, rulesJson: JSON.stringify({ maxLength: 3 }) });

    // Deleted and created again: a new row with the same name, which the old hint must not write to.
    const oldHint = hints.get(environmentId, "API_KEY")!;
    const oldId = oldHint.secretId;
    await deleteSecret(plain, { environmentId, name: "API_KEY", actor: "admin", at });
    expect(await write("gone")).toEqual({ kind: "not_found" });
    expect(hints.get(environmentId, "API_KEY")).toBeUndefined();
    hints.set(environmentId, "API_KEY", oldHint);
    await createSecretStub(plain, { environmentId, name: "API_KEY", description: "k", requestedBy: "t", at });
    expect(await write("new")).toMatchObject({ kind: "ok", version: 1 });
    expect(hints.get(environmentId, "API_KEY")!.secretId).not.toBe(oldId);
    expect(await read()).toMatchObject({ kind: "ok", value: "new", version: 1 });
  });

  it("does not write under a master key that is no longer active", async () => {
    const { plain, write, read } = await setup();
    await write("v1");
    await sql`insert into encryption_keys (id, version, status, wrapped_key, wrapped_by, created_at, created_by) values (${envelope.activeKeyId}, 1, 'retiring', ${new Uint8Array(8)}, 'test', now(), 'test')`.execute(plain);
    await expect(write("v2")).rejects.toThrow(/rotated during this write/);
    expect(await read()).toMatchObject({ kind: "ok", value: "v1", version: 1 });
  });

  it("keeps at most maxEntries hints, dropping the least recently written", () => {
    const hints = createWriteHints(2);
    const hint = (version: number) => ({ secretId: "s", version, type: "string", rulesJson: null, rowXmin: "1" });
    hints.set("e", "A", hint(1));
    hints.set("e", "B", hint(1));
    hints.set("e", "A", hint(2));
    hints.set("e", "C", hint(1));
    expect([hints.size, hints.get("e", "A")?.version, hints.get("e", "B"), hints.get("e", "C")?.version]).toEqual([2, 2, undefined, 1]);
    expect(() => createWriteHints(0)).toThrow(/maxEntries/);
  });
});

describe("setSecretValue against a type change that commits while it waits (PostgreSQL)", () => {
  /** Refuses a value starting "bad" once the secret's type is "strict". */
  const strict: ValueCheck = (value, rules) => (rules.type === "strict" && value.startsWith("bad") ? { ok: false, problem: "not strict" } : { ok: true, metadata: {} });

  it.each([
    ["the hinted statement", true],
    ["the locked path", false],
  ])("%s checks the value against the type as committed, not as its statement first read it", async (_path, hinted) => {
    const database = await freshPostgres();
    try {
      const { db } = database;
      const environmentId = await defaultEnvironmentId(db);
      await createSecretStub(db, { environmentId, name: "API_KEY", description: "k", requestedBy: "t", at });
      const hints = createWriteHints();
      const write = (value: string) => setSecretValue(db, envelope, { environmentId, name: "API_KEY", value, actor: "admin", at, check: strict, ...(hinted ? { hints } : {}) });
      expect(await write("v1")).toMatchObject({ kind: "ok", version: 1 });
      if (hinted) expect(hints.get(environmentId, "API_KEY")).toMatchObject({ version: 1, type: "generic" });

      // An admin's type change holds its locks, uncommitted, while the write starts and waits for them.
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let changed!: () => void;
      const inChange = new Promise<void>((resolve) => (changed = resolve));
      const change = db.transaction().execute(async (trx) => {
        expect(await updateSecretMetadata(trx, { name: "API_KEY", type: "strict", actor: "admin", at })).toBe(true);
        changed();
        await held;
      });
      await inChange;
      const writing = write("bad value");
      for (let waiting = 0; waiting === 0; ) {
        await new Promise((r) => setTimeout(r, 20));
        waiting = (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db)).rows[0]!.n;
      }
      commit();
      await change;
      expect(await writing).toEqual({ kind: "invalid", problem: "not strict" });
      expect(await readSecretValue(db, envelope, { environmentId, name: "API_KEY" })).toMatchObject({ kind: "ok", value: "v1", version: 1 });
      expect(await write("fine")).toMatchObject({ kind: "ok", version: 2 });
    } finally {
      await database.close();
    }
  });
});
