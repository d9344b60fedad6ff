import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { type ChainCheck, GENESIS_HASH, verifyAuditRows } from "./chain.js";
import { newestArchiveEnd } from "./archived-end.js";
import { readAuditPage } from "./read-page.js";

export type ChainCheckWithEnd = ChainCheck & { last?: { seq: number; hash: string } };

/** Verifies the whole chain in pages, so memory stays flat on a long log. */
export async function verifyAuditChain(db: Kysely<Database>, key: Uint8Array): Promise<ChainCheck> {
  const { last: _last, ...check } = await verifyAuditChainWithEnd(db, key);
  return check;
}

export type ChainStart = { ok: true; from: { seq: number; hash: string }; archived: number } | { ok: false; firstBadSeq: number; problem: string };

/**
 * Where the rows still in the database start. Seq 1 chains from the genesis hash. A later first row
 * is only a valid start when its partition's predecessors were archived (issue #21) and the newest
 * archive ends exactly where it begins: rows deleted from the start of the log are not an archive.
 */
export async function auditChainStart(db: Kysely<Database>): Promise<ChainStart> {
  const first = await db.selectFrom("audit_log").select(["seq", "prev_hash"]).orderBy("at").orderBy("seq").limit(1).executeTakeFirst();
  const archivedEnd = (await newestArchiveEnd(db)) ?? { seq: 0, hash: GENESIS_HASH };
  if (!first) return { ok: true, from: archivedEnd, archived: archivedEnd.seq };
  const seq = Number(first.seq);
  if (seq === archivedEnd.seq + 1) return { ok: true, from: { seq: seq - 1, hash: archivedEnd.hash }, archived: archivedEnd.seq };
  if (seq <= archivedEnd.seq) return { ok: false, firstBadSeq: seq, problem: `row ${seq} is still in the log though the archives end at seq ${archivedEnd.seq}` };
  const problem = archivedEnd.seq === 0 ? `the log starts at seq ${seq} and no archive holds rows 1–${seq - 1}: they were deleted` : `rows ${archivedEnd.seq + 1}–${seq - 1} are neither in the log nor in an archive: they were deleted`;
  return { ok: false, firstBadSeq: archivedEnd.seq + 1, problem };
}

/**
 * As verifyAuditChain, also returning the last row's seq and hash (for checkpoints). With `from` (a
 * row already trusted, e.g. a checkpoint's), only the rows after it are checked, chained from it;
 * the caller checks that row itself.
 */
export async function verifyAuditChainWithEnd(db: Kysely<Database>, key: Uint8Array, from?: { seq: number; hash: string }, options: { toSeq?: number } = {}): Promise<ChainCheckWithEnd> {
  if (!from) {
    const start = await auditChainStart(db);
    if (!start.ok) return start;
    from = start.from;
  }
  let total = 0;
  let prev = from;
  for (;;) {
    const limit = options.toSeq === undefined ? 1000 : Math.min(1000, options.toSeq - prev.seq);
    if (limit <= 0) return { ok: true, rows: total, last: prev };
    const page = await readAuditPage(db, prev.seq, limit);
    if (page.length === 0) return { ok: true, rows: total, last: prev };
    // Each page continues the chain from the last row of the one before.
    const check = verifyAuditRows(key, page, prev);
    if (!check.ok) return check;
    total += page.length;
    const last = page[page.length - 1]!;
    prev = { seq: last.seq, hash: last.hash };
  }
}

/**
 * Verifies rows `fromSeq`..`toSeq` (either end open): each row's HMAC and its link to the one before.
 * The row before `fromSeq` is taken as the anchor (its own link is outside the range); from the
 * start of the log, the anchor is the chain's start, checked against the archives.
 */
export async function verifyAuditRange(db: Kysely<Database>, key: Uint8Array, range: { fromSeq?: number; toSeq?: number }): Promise<ChainCheckWithEnd> {
  const start = await auditChainStart(db);
  let from: { seq: number; hash: string } | undefined;
  if (range.fromSeq !== undefined && range.fromSeq - 1 > (start.ok ? start.from.seq : 0)) {
    const anchor = await db.selectFrom("audit_log").select(["seq", "hash"]).where("seq", "=", range.fromSeq - 1).executeTakeFirst();
    if (anchor) from = { seq: Number(anchor.seq), hash: anchor.hash };
    else {
      // No row before the range (e.g. a restored log whose older rows are in archives): the range's
      // first row's own link is taken as given.
      const first = await db.selectFrom("audit_log").select(["prev_hash"]).where("seq", "=", range.fromSeq).executeTakeFirst();
      if (!first) return { ok: false, firstBadSeq: range.fromSeq, problem: `row ${range.fromSeq} is not in the log` };
      from = { seq: range.fromSeq - 1, hash: first.prev_hash };
    }
  } else if (!start.ok) return start;
  // The start was just checked: not again inside verifyAuditChainWithEnd.
  else from = start.from;
  return verifyAuditChainWithEnd(db, key, from, { toSeq: range.toSeq });
}
