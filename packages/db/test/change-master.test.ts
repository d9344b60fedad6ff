import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, deriveKeyFromPassphrase, kekFromKey, KeywardError, masterKeyFingerprint, newScryptParams, parseScryptParams } from "@keyward/common";
import {
  changeMasterKey,
  connectPostgres,
  createKeyringEnvelope,
  createSecretStub,
  getMasterKeySettings,
  KEYRING_LOCK,
  openKeyring,
  readSecretValue,
  retireKek,
  rewrapDataKeys,
  rotateKek,
  saveMasterKeySettings,
  setSecretValue,
  verifyAuditChain,
  type KeywardDatabase,
} from "../src/index.js";
import { backends, freshPostgresWithUrl } from "./harness.js";

const at = new Date("2026-11-20T10:00:00.000Z");
const auditKey = randomBytes(32);
const change = { auditKey, actor: "cli:ops", actorType: "cli", at };
// Cheap scrypt settings: the derivation is what is tested, not its cost.
const cheap = { N: 2 ** 10, r: 8, p: 1 };

const opened: KeywardDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

type Db = KeywardDatabase["db"];

async function seed(db: Db, envelope: Parameters<typeof setSecretValue>[1], count: number, prefix = "SECRET") {
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = `${prefix}_${i}`;
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "t", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value: `old-${i}`, actor: "t", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value: `value-${i}`, actor: "t", at });
    values.set(name, `value-${i}`);
  }
  return values;
}

/** Everything a master key change must leave alone (values, data keys) or must change (KEK wraps, settings). */
const snapshot = async (db: Db) => ({
  versions: (await db.selectFrom("secret_versions").select(["secret_id", "version", "ciphertext", "wrapped_key", "key_id"]).orderBy("secret_id").orderBy("version").execute()).map((r) => ({
    ...r,
    ciphertext: Buffer.from(r.ciphertext).toString("hex"),
    wrapped_key: Buffer.from(r.wrapped_key).toString("hex"),
  })),
  keks: (await db.selectFrom("encryption_keys").selectAll().orderBy("version").execute()).map((r) => ({ ...r, wrapped_key: r.wrapped_key && Buffer.from(r.wrapped_key).toString("hex") })),
  settings: await getMasterKeySettings(db),
  auditRows: (await db.selectFrom("audit_log").select("seq").execute()).length,
});

async function expectAllReadable(db: Db, master: Buffer, values: Map<string, string>) {
  const envelope = createEnvelope(await openKeyring(db, master, change));
  for (const [name, value] of values) expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });
}

function expectNoKeyMaterial(text: string, keys: Buffer[]) {
  for (const k of keys) for (const enc of ["hex", "base64"] as const) expect(text).not.toContain(k.toString(enc).slice(0, 12));
}

describe.each(backends)("changeMasterKey on %s", (_kind, fresh) => {
  it("rewraps every KEK under the new key; every value reads back; data keys and values are untouched; the old key is named as wrong", async () => {
    const database = await fresh();
    opened.push(database);
    const { db } = database;
    const oldMaster = randomBytes(32);
    const envelope = await createKeyringEnvelope(db, oldMaster, change);
    const values = await seed(db, envelope, 3);
    await rotateKek(db, oldMaster, change); // two KEK versions: one active, one retiring
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "SECRET_0", value: "after-rotate", actor: "t", at });
    values.set("SECRET_0", "after-rotate");
    const before = await snapshot(db);

    const newMaster = randomBytes(32);
    const result = await changeMasterKey(db, { current: oldMaster, next: newMaster }, change);
    expect(result).toEqual({ kind: "ok", previous: masterKeyFingerprint(oldMaster), fingerprint: masterKeyFingerprint(newMaster), rewrapped: before.keks.map((k) => k.id), legacy: [] });
    expectNoKeyMaterial(JSON.stringify(result), [oldMaster, newMaster]);

    const after = await snapshot(db);
    expect(after.versions).toEqual(before.versions);
    expect(after.keks.map((k) => [k.id, k.version, k.status, k.wrapped_by])).toEqual(before.keks.map((k) => [k.id, k.version, k.status, masterKeyFingerprint(newMaster)]));
    for (const [i, k] of after.keks.entries()) expect(k.wrapped_key).not.toBe(before.keks[i]!.wrapped_key);
    expect(after.settings).toMatchObject({ fingerprint: masterKeyFingerprint(newMaster), kdf: null });

    await expectAllReadable(db, newMaster, values);
    // The service that was running before the change still holds its unwrapped KEKs and keeps working.
    for (const [name, value] of values) expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });

    const error = await openKeyring(db, oldMaster, change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardError);
    expect((error as Error).message).toMatch(/does not match this database/);
    expect((error as Error).message).toContain(masterKeyFingerprint(newMaster));
    expect((error as Error).message).toContain(masterKeyFingerprint(oldMaster));
    expectNoKeyMaterial((error as Error).message, [oldMaster, newMaster]);
    await expect(rotateKek(db, oldMaster, change)).rejects.toThrow(/does not match this database/);

    // The new key rotates, rewraps and retires as before.
    expect(await rotateKek(db, newMaster, change)).toMatchObject({ kind: "ok" });
    const cli = await createKeyringEnvelope(db, newMaster, change);
    expect(await rewrapDataKeys(db, cli, change)).toMatchObject({ remaining: 0 });
    for (const id of result.kind === "ok" ? result.rewrapped : []) expect(await retireKek(db, id, change)).toMatchObject({ kind: "ok" });
    await expectAllReadable(db, newMaster, values);

    expect((await verifyAuditChain(db, auditKey)).ok).toBe(true);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "keys.master.change").execute();
    expect(audit).toMatchObject([{ actor_type: "cli", actor_id: "cli:ops", target: `master:${masterKeyFingerprint(newMaster)}`, result: "ok" }]);
    expect(audit[0]!.reason).toContain(masterKeyFingerprint(oldMaster));
    expectNoKeyMaterial(JSON.stringify(audit), [oldMaster, newMaster]);
  });

  it("a wrong current key fails naming the fingerprint, and so does the same key again: nothing changes", async () => {
    const database = await fresh();
    opened.push(database);
    const { db } = database;
    const master = randomBytes(32);
    const values = await seed(db, await createKeyringEnvelope(db, master, change), 2);
    const before = await snapshot(db);

    const wrong = randomBytes(32);
    const error = await changeMasterKey(db, { current: wrong, next: randomBytes(32) }, change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardError);
    expect(error).toMatchObject({ code: "config", reason: "wrong_master_key" });
    expect((error as Error).message).toContain(`it was set up with master key ${masterKeyFingerprint(master)}, this one is ${masterKeyFingerprint(wrong)}`);
    expectNoKeyMaterial((error as Error).message, [master, wrong]);
    expect(await snapshot(db)).toEqual(before);

    await expect(changeMasterKey(db, { current: master, next: Buffer.from(master) }, change)).rejects.toThrow(`the new master key is the current one (${masterKeyFingerprint(master)})`);
    expect(await snapshot(db)).toEqual(before);
    await expectAllReadable(db, master, values);
  });

  it("passphrase → key file → passphrase: the KDF params are cleared, then replaced by the new passphrase's", async () => {
    const database = await fresh();
    opened.push(database);
    const { db } = database;
    const firstParams = newScryptParams(cheap);
    const firstKey = deriveKeyFromPassphrase("the first long passphrase", firstParams);
    await saveMasterKeySettings(db, { fingerprint: masterKeyFingerprint(firstKey), kdf: JSON.stringify(firstParams), at });
    const values = await seed(db, await createKeyringEnvelope(db, firstKey, change), 2);

    const fileKey = randomBytes(32);
    expect(await changeMasterKey(db, { current: firstKey, next: fileKey, nextKdf: null }, change)).toMatchObject({ kind: "ok" });
    expect(await getMasterKeySettings(db)).toMatchObject({ fingerprint: masterKeyFingerprint(fileKey), kdf: null });
    await expectAllReadable(db, fileKey, values);
    await expect(openKeyring(db, firstKey, change)).rejects.toThrow(masterKeyFingerprint(fileKey));

    const secondParams = newScryptParams(cheap);
    const secondKey = deriveKeyFromPassphrase("the second long passphrase", secondParams);
    expect(await changeMasterKey(db, { current: fileKey, next: secondKey, nextKdf: secondParams }, change)).toMatchObject({ kind: "ok" });
    const settings = await getMasterKeySettings(db);
    expect(settings?.fingerprint).toBe(masterKeyFingerprint(secondKey));
    expect(settings?.kdf).not.toContain("passphrase");
    // A later start derives the key again from the stored params: same key, every value readable.
    const rederived = deriveKeyFromPassphrase("the second long passphrase", parseScryptParams(settings!.kdf!));
    expect(rederived.equals(secondKey)).toBe(true);
    await expectAllReadable(db, rederived, values);
    await expect(openKeyring(db, fileKey, change)).rejects.toThrow(/does not match this database/);
  });

  it("a legacy KEK (the old master key itself, pre-keyring values) is wrapped by the new key and reported; retired KEKs stay as they were", async () => {
    const database = await fresh();
    opened.push(database);
    const { db } = database;
    const oldMaster = randomBytes(32);
    const values = await seed(db, createEnvelope({ active: kekFromKey(oldMaster) }), 2);
    await createKeyringEnvelope(db, oldMaster, change); // adopts the old values under a retiring legacy KEK
    await rotateKek(db, oldMaster, change);
    const keyring = await createKeyringEnvelope(db, oldMaster, change);
    const more = await seed(db, keyring, 1, "LATER");
    // Retire the KEK version 2 (no data key uses it) so a retired row is present.
    const v2 = await db.selectFrom("encryption_keys").select("id").where("version", "=", 2).executeTakeFirstOrThrow();
    expect(await retireKek(db, v2.id, change)).toMatchObject({ kind: "ok" });
    const retiredBefore = await db.selectFrom("encryption_keys").selectAll().where("status", "=", "retired").execute();

    const newMaster = randomBytes(32);
    const result = await changeMasterKey(db, { current: oldMaster, next: newMaster }, change);
    expect(result).toMatchObject({ kind: "ok", legacy: [kekFromKey(oldMaster).id] });
    expect(await db.selectFrom("encryption_keys").selectAll().where("status", "=", "retired").execute()).toEqual(retiredBefore);
    await expectAllReadable(db, newMaster, new Map([...values, ...more]));

    // Rewrapping moves the data keys off the old master key; once retired, it decrypts nothing.
    const cli = await createKeyringEnvelope(db, newMaster, change);
    expect(await rewrapDataKeys(db, cli, change)).toMatchObject({ remaining: 0 });
    expect(await retireKek(db, kekFromKey(oldMaster).id, change)).toMatchObject({ kind: "ok" });
    await expectAllReadable(db, newMaster, new Map([...values, ...more]));
  });

  it("a database without a keyring has nothing to change", async () => {
    const database = await fresh();
    opened.push(database);
    expect(await changeMasterKey(database.db, { current: randomBytes(32), next: randomBytes(32) }, change)).toEqual({ kind: "no_keyring" });
  });
});

describe("changeMasterKey with concurrent keyring changes on PostgreSQL", () => {
  /**
   * Holds the keyring lock on a third connection; starts `a` and waits until it queues for the lock,
   * then `b`, so they queue in that order (a busy machine could otherwise let `b` overtake `a`
   * before the lock), then lets them go.
   */
  async function race<A, B>(url: string, a: () => Promise<A>, b: () => Promise<B>) {
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query("begin");
      await blocker.query("select pg_advisory_xact_lock($1)", [KEYRING_LOCK]);
      const waiting = async (n: number) => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { rows } = await blocker.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objid = $1", [KEYRING_LOCK]);
          if (rows[0].n === n) return;
          if (Date.now() > deadline) throw new Error(`${n} operation(s) never waited for the keyring lock`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const first = a();
      first.catch(() => {});
      await waiting(1);
      const settled = Promise.allSettled([first, b()]);
      await waiting(2);
      await blocker.query("commit");
      return await settled;
    } finally {
      await blocker.end();
    }
  }

  async function consistent(db: Db, master: Buffer, values: Map<string, string>) {
    const settings = await getMasterKeySettings(db);
    expect(settings?.fingerprint).toBe(masterKeyFingerprint(master));
    const live = await db.selectFrom("encryption_keys").select(["status", "wrapped_by"]).where("status", "!=", "retired").execute();
    expect(live.filter((k) => k.status === "active")).toHaveLength(1);
    expect(live.every((k) => k.wrapped_by === settings!.fingerprint)).toBe(true);
    await expectAllReadable(db, master, values);
  }

  it("rotateKek (old key) racing a change: both succeed in some order, or the rotation fails cleanly naming the new key", async () => {
    const { database: a, url } = await freshPostgresWithUrl();
    const b = connectPostgres(url, { max: 4 });
    opened.push(a, b);
    let master = randomBytes(32);
    const values = await seed(a.db, await createKeyringEnvelope(a.db, master, change), 3);
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const next = randomBytes(32);
      const kekCount = (await a.db.selectFrom("encryption_keys").select("id").execute()).length;
      const flip = round % 2 === 0;
      const ops = [() => changeMasterKey(a.db, { current: master, next }, change), () => rotateKek(b.db, master, change)] as const;
      const [changed, rotated] = flip ? await race(url, ops[0], ops[1]) : await race(url, ops[1], ops[0]).then(([r, c]) => [c, r] as const);
      expect(changed.status, String((changed as PromiseRejectedResult).reason)).toBe("fulfilled");
      if (rotated.status === "fulfilled") {
        outcomes.add("rotate first");
        expect((await a.db.selectFrom("encryption_keys").select("id").execute()).length).toBe(kekCount + 1);
      } else {
        outcomes.add("change first");
        expect(String(rotated.reason)).toContain(`it was set up with master key ${masterKeyFingerprint(next)}`);
        expect((await a.db.selectFrom("encryption_keys").select("id").execute()).length).toBe(kekCount);
      }
      master = next;
      await consistent(a.db, master, values);
    }
    // The waiters are granted the lock in arrival order, so alternating the start order exercises both.
    expect([...outcomes].sort()).toEqual(["change first", "rotate first"]);
    expect((await verifyAuditChain(a.db, auditKey)).ok).toBe(true);
  });

  it("two concurrent changes from the same current key: exactly one wins, the other fails with the fingerprint error", async () => {
    const { database: a, url } = await freshPostgresWithUrl();
    const b = connectPostgres(url, { max: 4 });
    opened.push(a, b);
    const master = randomBytes(32);
    const values = await seed(a.db, await createKeyringEnvelope(a.db, master, change), 2);
    const [x, y] = [randomBytes(32), randomBytes(32)];
    const results = await race(
      url,
      () => changeMasterKey(a.db, { current: master, next: x }, change),
      () => changeMasterKey(b.db, { current: master, next: y }, change),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const winner = results[0].status === "fulfilled" ? x : y;
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(loser.reason)).toContain(`it was set up with master key ${masterKeyFingerprint(winner)}, this one is ${masterKeyFingerprint(master)}`);
    await consistent(a.db, winner, values);
  });
});
