import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey, KeywardError, masterKeyFingerprint } from "@keyward/common";
import {
  createKeyringEnvelope,
  createSecretStub,
  getKeyringStatus,
  getMasterKeySettings,
  openKeyring,
  readSecretValue,
  retireKek,
  rewrapDataKeys,
  rotateKek,
  setSecretValue,
  verifyAuditChain,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const at = new Date("2026-09-10T11:12:13.000Z");
const auditKey = randomBytes(32);
const change = { auditKey, actor: "ops", at };

let open: KeywardDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function seed(db: KeywardDatabase["db"], envelope: Parameters<typeof setSecretValue>[1], count: number) {
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = `SECRET_${i}`;
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "t", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value: `old-${i}`, actor: "t", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value: `value-${i}`, actor: "t", at });
    values.set(name, `value-${i}`);
  }
  return values;
}

const ciphertexts = async (db: KeywardDatabase["db"]) =>
  (await db.selectFrom("secret_versions").select(["secret_id", "version", "ciphertext"]).orderBy("secret_id").orderBy("version").execute()).map((r) => Buffer.from(r.ciphertext).toString("hex"));

describe.each(backends)("keyring on %s", (_kind, fresh) => {
  it("creates KEK version 1 on first use, stores the master key's check value, and names a wrong master key", async () => {
    const { db } = (open = await fresh());
    const master = randomBytes(32);
    const first = await openKeyring(db, master, change);
    expect(first.others).toEqual([]);
    expect((await openKeyring(db, master, change)).active.id).toBe(first.active.id);
    expect((await getMasterKeySettings(db))?.fingerprint).toBe(masterKeyFingerprint(master));
    const wrapped = await db.selectFrom("encryption_keys").selectAll().execute();
    expect(wrapped).toMatchObject([{ id: first.active.id, version: 1, status: "active", wrapped_by: masterKeyFingerprint(master) }]);
    expect(Buffer.from(wrapped[0]!.wrapped_key!).includes(first.active.key)).toBe(false);

    const wrong = randomBytes(32);
    try {
      await openKeyring(db, wrong, change);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeywardError);
      const message = (e as Error).message;
      expect(message).toMatch(/does not match this database/);
      expect(message).toContain(masterKeyFingerprint(master));
      for (const k of [wrong, master]) for (const enc of ["hex", "base64"] as const) expect(message).not.toContain(k.toString(enc).slice(0, 12));
    }
    expect(await rotateKek(db, wrong, change).catch((e: Error) => e.message)).toMatch(/does not match this database/);
  });

  it("rotate → values still readable → rewrap in batches → retire; ciphertexts never change", async () => {
    const { db } = (open = await fresh());
    const master = randomBytes(32);
    const envelope = await createKeyringEnvelope(db, master, change);
    const values = await seed(db, envelope, 5);
    const before = await ciphertexts(db);
    const oldId = envelope.activeKeyId;

    const rotated = await rotateKek(db, master, change);
    expect(rotated).toMatchObject({ kind: "ok", previous: oldId, version: 2 });
    if (rotated.kind !== "ok") throw new Error("unreachable");
    // Operators hear of the rotation, in its transaction: ids only.
    expect(await db.selectFrom("outbox").select(["type", "subject", "data"]).where("type", "=", "key.rotated").execute()).toEqual([
      { type: "key.rotated", subject: rotated.active, data: expect.objectContaining({ active: rotated.active, previous: oldId, version: 2 }) },
    ]);
    // This envelope still has the old KEK active; the next write notices and reloads.
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "SECRET_0", value: "value-0-new", actor: "t", at });
    values.set("SECRET_0", "value-0-new");
    expect(envelope.activeKeyId).toBe(rotated.active);
    expect((await getKeyringStatus(db)).keys.map((k) => [k.version, k.status, k.dataKeys])).toEqual([
      [1, "retiring", 10],
      [2, "active", 1],
    ]);
    for (const [name, value] of values) expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });

    expect(await retireKek(db, oldId, change)).toEqual({ kind: "in_use", dataKeys: 10 });
    const batches: number[] = [];
    const result = await rewrapDataKeys(db, envelope, { ...change, batchSize: 3, onBatch: (p) => batches.push(p.remaining) });
    expect(result).toEqual({ rewrapped: 10, remaining: 0 });
    expect(batches).toEqual([7, 4, 1, 0]);
    expect(await rewrapDataKeys(db, envelope, change)).toEqual({ rewrapped: 0, remaining: 0 });
    // Every value's ciphertext is byte-for-byte what it was: only the data keys were rewrapped.
    const afterRewrap = await ciphertexts(db);
    expect(afterRewrap).toHaveLength(before.length + 1);
    expect(before.every((c) => afterRewrap.includes(c))).toBe(true);

    expect(await retireKek(db, rotated.active, change)).toEqual({ kind: "active" });
    expect(await retireKek(db, oldId, change)).toEqual({ kind: "ok", id: oldId });
    expect(await retireKek(db, oldId, change)).toEqual({ kind: "already_retired" });
    expect(await retireKek(db, "kek_nope", change)).toEqual({ kind: "not_found" });
    const status = await getKeyringStatus(db);
    expect(status).toMatchObject({ onActive: 11, remaining: 0, unknownKeyIds: [] });
    expect((await db.selectFrom("encryption_keys").select("wrapped_key").where("id", "=", oldId).executeTakeFirstOrThrow()).wrapped_key).toBeNull();

    // Nothing needs the retired KEK: a fresh keyring without it reads everything.
    const after = await openKeyring(db, master, change);
    expect(after.others).toEqual([]);
    const fresh2 = createEnvelope(after);
    for (const [name, value] of values) expect(await readSecretValue(db, fresh2, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });
    expect((await verifyAuditChain(db, auditKey)).ok).toBe(true);
    const actions = await db.selectFrom("audit_log").select("action").orderBy("seq").execute();
    expect(actions.map((a) => a.action)).toEqual(["keys.init", "keys.rotate", "keys.rewrap", "keys.rewrap", "keys.rewrap", "keys.rewrap", "keys.retire"]);
  });

  it("a service that did not see the rotation reloads to read rewrapped values, and a stale KEK cannot write", async () => {
    const { db } = (open = await fresh());
    const master = randomBytes(32);
    const serviceA = await createKeyringEnvelope(db, master, change);
    const values = await seed(db, serviceA, 2);
    const oldKeyring = await openKeyring(db, master, change);
    // Another process rotates and rewraps.
    await rotateKek(db, master, change);
    const cli = await createKeyringEnvelope(db, master, change);
    await rewrapDataKeys(db, cli, change);
    expect(serviceA.hasKey(cli.activeKeyId)).toBe(false);
    for (const [name, value] of values) expect(await readSecretValue(db, serviceA, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });
    expect(serviceA.hasKey(cli.activeKeyId)).toBe(true);

    // An envelope that cannot reload (a plain one holding the old KEK) is refused, not silently used.
    const stale = createEnvelope({ active: oldKeyring.active });
    await expect(setSecretValue(db, stale, { environmentId: await defaultEnvironmentId(db), name: "SECRET_1", value: "x", actor: "t", at })).rejects.toThrow(/is retiring; the keys were rotated/);
    await expect(rewrapDataKeys(db, stale, change)).rejects.toThrow(/not the database's/);
    await expect(rewrapDataKeys(db, cli, { ...change, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
  });

  it("adopts values written before the keyring (wrapped directly by the master key) and rewraps them off it", async () => {
    const { db } = (open = await fresh());
    const master = randomBytes(32);
    const legacy = createEnvelope({ active: kekFromKey(master) });
    const values = await seed(db, legacy, 2);
    const envelope = await createKeyringEnvelope(db, master, change);
    expect((await getKeyringStatus(db)).keys.map((k) => [k.id === kekFromKey(master).id, k.status, k.dataKeys])).toEqual([
      [true, "retiring", 4],
      [false, "active", 0],
    ]);
    for (const [name, value] of values) expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });
    expect(await rewrapDataKeys(db, envelope, change)).toEqual({ rewrapped: 4, remaining: 0 });
    expect(await retireKek(db, kekFromKey(master).id, change)).toMatchObject({ kind: "ok" });
    const onlyNew = createEnvelope(await openKeyring(db, master, change));
    for (const [name, value] of values) expect(await readSecretValue(db, onlyNew, { environmentId: await defaultEnvironmentId(db), name })).toMatchObject({ kind: "ok", value });
  });

  it("refuses a master key that did not wrap the values already stored", async () => {
    const { db } = (open = await fresh());
    await seed(db, createEnvelope({ active: kekFromKey(randomBytes(32)) }), 1);
    await expect(openKeyring(db, randomBytes(32), change)).rejects.toThrow(/which is not this master key/);
    expect(await db.selectFrom("encryption_keys").selectAll().execute()).toEqual([]);
  });
});
