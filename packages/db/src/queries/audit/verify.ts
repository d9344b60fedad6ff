import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { type ChainCheck, GENESIS_HASH, verifyAuditRows } from "./chain.js";
import { readAuditPage } from "./read-page.js";

export type ChainCheckWithEnd = ChainCheck & { last?: { seq: number; hash: string } };

/** Verifies the whole chain in pages, so memory stays flat on a long log. */
export async function verifyAuditChain(db: Kysely<Database>, key: Uint8Array): Promise<ChainCheck> {
  const { last: _last, ...check } = await verifyAuditChainWithEnd(db, key);
  return check;
}

/**
 * As verifyAuditChain, also returning the last row's seq and hash (for checkpoints). With `from` (a
 * row already trusted, e.g. a checkpoint's), only the rows after it are checked, chained from it;
 * the caller checks that row itself.
 */
export async function verifyAuditChainWithEnd(db: Kysely<Database>, key: Uint8Array, from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): Promise<ChainCheckWithEnd> {
  let total = 0;
  let prev = from;
  for (;;) {
    const page = await readAuditPage(db, prev.seq, 1000);
    if (page.length === 0) return { ok: true, rows: total, last: prev };
    // Each page continues the chain from the last row of the one before.
    const check = verifyAuditRows(key, page, prev);
    if (!check.ok) return check;
    total += page.length;
    const last = page[page.length - 1]!;
    prev = { seq: last.seq, hash: last.hash };
  }
}
