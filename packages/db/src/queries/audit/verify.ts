import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { type ChainCheck, GENESIS_HASH, verifyAuditRows } from "./chain.js";
import { listAudit } from "./list.js";

/** Verifies the whole chain in pages, so memory stays flat on a long log. */
export async function verifyAuditChain(db: Kysely<Database>, key: Uint8Array): Promise<ChainCheck> {
  let total = 0;
  let afterSeq = 0;
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const page = await listAudit(db, { afterSeq, limit: 1000 });
    if (page.length === 0) return { ok: true, rows: total };
    // Each page continues the chain from the last row of the one before.
    const check = verifyAuditRows(key, page, prev);
    if (!check.ok) return check;
    total += page.length;
    const last = page[page.length - 1]!;
    prev = { seq: last.seq, hash: last.hash };
    afterSeq = last.seq;
  }
}
