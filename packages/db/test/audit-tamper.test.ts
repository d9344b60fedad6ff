import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { signingKeysFromSeed } from "@keyward/common";
import {
  appendAudit,
  createAuditCheckpoint,
  parseAuditCheckpoint,
  verifyAuditAgainstCheckpoint,
  verifyAuditChain,
  type AuditCheckpoint,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const auditKey = randomBytes(32);
const signer = signingKeysFromSeed(randomBytes(32));
const pinned = { publicKey: signer.publicKey };
const at = new Date("2026-02-03T04:05:06.000Z");

const opened: KeywardDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

describe.each(backends)("audit tampering on %s", (_kind, fresh) => {
  /** Five chained rows; returns the db. */
  async function chain() {
    const database = await fresh();
    opened.push(database);
    for (const action of ["a", "b", "c", "d", "e"]) {
      await appendAudit(database.db, auditKey, { at, actor_type: "admin", actor_id: "owner", action, target: "secret:X", result: "ok", ip: "127.0.0.1" });
    }
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 5 });
    return database.db;
  }

  it("an edited row is named", async () => {
    const db = await chain();
    await db.updateTable("audit_log").set({ ip: "10.0.0.9" }).where("seq", "=", 3).execute();
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: false, firstBadSeq: 3, problem: "row hash does not match its contents" });
  });

  it("an edited row whose hash was recomputed without the key is named", async () => {
    const db = await chain();
    await db.updateTable("audit_log").set({ result: "denied", hash: "f".repeat(64) }).where("seq", "=", 2).execute();
    expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it("a deleted row is named by the seq after the gap", async () => {
    const db = await chain();
    await db.deleteFrom("audit_log").where("seq", "=", 2).execute();
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: false, firstBadSeq: 3, problem: "expected seq 2, found 3" });
  });

  it("an inserted row is named, in the middle (renumbering the rest) and at the end", async () => {
    const db = await chain();
    const row2 = await db.selectFrom("audit_log").selectAll().where("seq", "=", 2).executeTakeFirstOrThrow();
    await sql`update audit_log set seq = seq + 100 where seq >= 3`.execute(db);
    await sql`update audit_log set seq = seq - 99 where seq >= 103`.execute(db);
    await db
      .insertInto("audit_log")
      .values({ seq: 3, at, actor_type: "admin", actor_id: "owner", action: "forged", target: "secret:X", result: "ok", prev_hash: row2.hash, hash: randomBytes(32).toString("hex") })
      .execute();
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: false, firstBadSeq: 3, problem: "row hash does not match its contents" });

    const db2 = await chain();
    const last = await db2.selectFrom("audit_log").selectAll().where("seq", "=", 5).executeTakeFirstOrThrow();
    await db2.insertInto("audit_log").values({ ...last, seq: 6, action: "forged", prev_hash: last.hash }).execute();
    expect(await verifyAuditChain(db2, auditKey)).toMatchObject({ ok: false, firstBadSeq: 6 });
  });

  it("reordered rows are named", async () => {
    const db = await chain();
    // Swap rows 2 and 3 (through a free seq: the primary key is checked row by row).
    await sql`update audit_log set seq = 1000 where seq = 2`.execute(db);
    await sql`update audit_log set seq = 2 where seq = 3`.execute(db);
    await sql`update audit_log set seq = 3 where seq = 1000`.execute(db);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: false, firstBadSeq: 2, problem: "prev_hash does not match the previous row" });
  });

  it("another audit key does not verify", async () => {
    const db = await chain();
    expect(await verifyAuditChain(db, randomBytes(32))).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it("deleting the newest rows leaves a valid chain, but a signed checkpoint catches it", async () => {
    const db = await chain();
    const checkpoint = await createAuditCheckpoint(db, auditKey, signer, at);
    expect(checkpoint).toMatchObject({ version: 1, seq: 5, time: at.toISOString() });
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, checkpoint, pinned)).toEqual({ ok: true, rows: 5, checkpointSeq: 5 });
    // Rows after a checkpoint are fine.
    await appendAudit(db, auditKey, { at, actor_type: "admin", actor_id: "owner", action: "f", target: "secret:X", result: "ok" });
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, checkpoint, pinned)).toEqual({ ok: true, rows: 6, checkpointSeq: 5 });

    await db.deleteFrom("audit_log").where("seq", ">=", 4).execute();
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 3 });
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, checkpoint, pinned)).toEqual({
      ok: false,
      firstBadSeq: 4,
      problem: `the log ends at seq 3 but the checkpoint of ${at.toISOString()} covers seq 5: rows 4–5 were deleted`,
    });
    // A new checkpoint is not signed over the truncated log when the previous one is given.
    await expect(createAuditCheckpoint(db, auditKey, signer, at, { after: checkpoint })).rejects.toThrow(/no longer holds the last checkpoint: the log ends at seq 3/);
    // Wiping every row is not "OK: 0 rows" against a checkpoint.
    await db.deleteFrom("audit_log").execute();
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 0 });
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, checkpoint, pinned)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it("a checkpoint after the previous one verifies only the rows since it, and refuses a rewritten row it covers", async () => {
    const db = await chain();
    const first = await createAuditCheckpoint(db, auditKey, signer, at);
    await appendAudit(db, auditKey, { at, actor_type: "admin", actor_id: "owner", action: "f", target: "secret:X", result: "ok" });
    expect(await createAuditCheckpoint(db, auditKey, signer, at, { after: first })).toMatchObject({ seq: 6 });
    // Someone rewrites the whole chain after row 2 with the HMAC key (valid on its own), but not the signing key.
    await db.deleteFrom("audit_log").where("seq", ">", 2).execute();
    for (const action of ["x", "y", "z", "w"]) await appendAudit(db, auditKey, { at, actor_type: "admin", actor_id: "owner", action, target: "secret:Y", result: "ok" });
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 6 });
    await expect(createAuditCheckpoint(db, auditKey, signer, at, { after: first })).rejects.toThrow(/not signing a checkpoint/);
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, first, pinned)).toEqual({ ok: false, firstBadSeq: 5, problem: "row 5 is not the row the checkpoint signed" });
  });

  it("refuses a forged or foreign checkpoint, and pins a given public key", async () => {
    const db = await chain();
    const checkpoint = await createAuditCheckpoint(db, auditKey, signer, at);
    const roundTrip = parseAuditCheckpoint(JSON.stringify(checkpoint));
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, roundTrip, { publicKey: checkpoint.publicKey })).toMatchObject({ ok: true });
    const forged: AuditCheckpoint = { ...checkpoint, seq: 3 };
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, forged, pinned)).toEqual({ ok: false, badCheckpoint: "the checkpoint's signature does not match its contents" });
    const foreign = await createAuditCheckpoint(db, randomBytes(32), signer, at).catch((e: Error) => e.message);
    expect(foreign).toMatch(/the audit chain is broken at seq 1/);
    expect(await verifyAuditAgainstCheckpoint(db, auditKey, checkpoint, { publicKey: Buffer.alloc(32, 1).toString("base64") })).toEqual({
      ok: false,
      badCheckpoint: "the checkpoint was signed by another key",
    });
  });

  it("a checkpoint of an empty log, and malformed checkpoint files", async () => {
    const database = await fresh();
    opened.push(database);
    const empty = await createAuditCheckpoint(database.db, auditKey, signer, at);
    expect(empty).toMatchObject({ seq: 0, hash: "0".repeat(64) });
    expect(await verifyAuditAgainstCheckpoint(database.db, auditKey, empty, pinned)).toEqual({ ok: true, rows: 0, checkpointSeq: 0 });
    expect(() => parseAuditCheckpoint("nope")).toThrow(/not JSON/);
    expect(() => parseAuditCheckpoint(JSON.stringify({ ...empty, version: 2 }))).toThrow(/version must be 1/);
    expect(() => parseAuditCheckpoint(JSON.stringify({ ...empty, seq: -1 }))).toThrow(/seq must be a non-negative integer/);
    expect(() => parseAuditCheckpoint(JSON.stringify({ ...empty, hash: "xyz" }))).toThrow(/hash must be 64 hex/);
    expect(() => parseAuditCheckpoint(JSON.stringify({ ...empty, time: "yesterday" }))).toThrow(/time must be an ISO date/);
    expect(() => parseAuditCheckpoint(JSON.stringify({ ...empty, signature: 5 }))).toThrow(/signature must be a base64 string/);
  });
});
