import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createSecretStub, readSecretValue, rollbackSecret, setSecretValue, upgradeValueBindings, verifyAuditChain, type KeywardDatabase } from "../src/index.js";
import { backends } from "./harness.js";

// Issue #12 §6: what someone with write access to the database can do to a value, and how a read
// notices it. Each case edits the tables directly, as such an attacker would.
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const auditKey = randomBytes(32);
const at = new Date("2026-11-30T10:00:00.000Z");

const open: KeywardDatabase[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

describe.each(backends)("stored-value integrity on %s", (_kind, fresh) => {
  const setUp = async () => {
    const database = await fresh();
    open.push(database);
    const db = database.db;
    for (const [name, value] of [
      ["PAYMENTS_KEY", "pay-secret"],
      ["ANALYTICS_KEY", "analytics-secret"],
    ] as const) {
      await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "t", at });
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value, actor: "t", at });
    }
    return db;
  };

  it("swapping two secrets' names in the database does not serve one's value under the other's name", async () => {
    const db = await setUp();
    // The swap goes through a spare name, which needs a definition (secrets.name references one).
    await db.insertInto("secret_definitions").values({ name: "SWAP_TMP", created_at: new Date(), created_by: "t", updated_at: new Date(), updated_by: "t" }).execute();
    await db.updateTable("secrets").set({ name: "SWAP_TMP" }).where("name", "=", "PAYMENTS_KEY").execute();
    await db.updateTable("secrets").set({ name: "PAYMENTS_KEY" }).where("name", "=", "ANALYTICS_KEY").execute();
    await db.updateTable("secrets").set({ name: "ANALYTICS_KEY" }).where("name", "=", "SWAP_TMP").execute();
    for (const name of ["PAYMENTS_KEY", "ANALYTICS_KEY"]) {
      const read = await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name });
      expect(read).toMatchObject({ kind: "integrity", problem: expect.stringContaining("does not open under this secret's id, name and version") });
      expect(JSON.stringify(read)).not.toMatch(/pay-secret|analytics-secret/);
    }
  });

  it("moving current_version back to an older version is refused, and rollback (a new version) still works", async () => {
    const db = await setUp();
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY", value: "pay-secret-2", actor: "t", at });
    await db.updateTable("secrets").set({ current_version: 1 }).where("name", "=", "PAYMENTS_KEY").execute();
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY" })).toEqual({ kind: "integrity", problem: "current version 1 is not the newest stored version 2" });
    await db.updateTable("secrets").set({ current_version: 2 }).where("name", "=", "PAYMENTS_KEY").execute();
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY", toVersion: 1, actor: "t", at })).toMatchObject({ kind: "ok", version: 3 });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY" })).toEqual({ kind: "ok", value: "pay-secret", version: 3 });
  });

  it("a row set back to the old binding is refused, and so is a rollback to it", async () => {
    const db = await setUp();
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY", value: "pay-secret-2", actor: "t", at });
    await db.updateTable("secret_versions").set({ aad_version: 1 }).execute();
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY" })).toMatchObject({ kind: "integrity", problem: expect.stringContaining("not sealed with the current binding") });
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "PAYMENTS_KEY", toVersion: 1, actor: "t", at })).toMatchObject({ kind: "integrity" });
  });

  it("upgradeValueBindings re-seals values stored before the name binding, audited, and leaves a tampered one refused", async () => {
    const database = await fresh();
    open.push(database);
    const db = database.db;
    // Values as the code before migration 0301 stored them: the v1 binding (row and version only).
    for (const [name, value] of [
      ["OLD_ONE", "old-one"],
      ["OLD_TWO", "old-two"],
      ["OLD_BAD", "old-bad"],
    ] as const) {
      const { secret } = await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "t", at });
      const sealed = envelope.seal(value, secret.id, 1);
      await db.insertInto("secret_versions").values({ secret_id: secret.id, version: 1, ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 1, created_at: at, created_by: "t" }).execute();
      await db.updateTable("secrets").set({ current_version: 1, status: "active" }).where("id", "=", secret.id).execute();
    }
    // OLD_BAD's ciphertext is moved to OLD_ONE's row: it no longer opens under its own binding.
    const rows = await db.selectFrom("secret_versions as v").innerJoin("secrets as s", "s.id", "v.secret_id").select(["s.name", "v.ciphertext", "v.secret_id"]).execute();
    const one = rows.find((r) => r.name === "OLD_ONE")!;
    await db.updateTable("secret_versions").set({ ciphertext: one.ciphertext }).where("secret_id", "=", rows.find((r) => r.name === "OLD_BAD")!.secret_id).execute();
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "OLD_ONE" })).toMatchObject({ kind: "integrity" });

    const result = await upgradeValueBindings(db, envelope, { auditKey, actor: "keyward", at: () => at, batchSize: 2 });
    expect(result).toEqual({ upgraded: 2, unreadable: [{ secret: "OLD_BAD", version: 1 }] });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "OLD_ONE" })).toEqual({ kind: "ok", value: "old-one", version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "OLD_TWO" })).toEqual({ kind: "ok", value: "old-two", version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "OLD_BAD" })).toMatchObject({ kind: "integrity" });
    // Running it again finds nothing more to do (and writes no audit row).
    expect(await upgradeValueBindings(db, envelope, { auditKey, actor: "keyward", at: () => at })).toEqual({ upgraded: 0, unreadable: [{ secret: "OLD_BAD", version: 1 }] });
    // One audit row per batch that re-sealed something (batches of 2: which rows share one depends on their ids).
    const audit = await db.selectFrom("audit_log").select(["action", "reason"]).execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(["values.rebind"]));
    expect(audit.reduce((n, a) => n + Number(/^(\d+) values re-sealed with the name binding$/.exec(a.reason ?? "")![1]), 0)).toBe(2);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: audit.length });
  });
});
