import { verifyAuditRows, type AuditRow } from "@keyward/db";
import type { ChainHead } from "./format.js";

export interface ChainBreak {
  firstBadSeq: number;
  problem: string;
}

/**
 * Follows the chain one row at a time from `start`, with verifyAuditRows's rules (contiguous seq,
 * prev_hash, HMAC). Without `auditKey` only seq and prev_hash are checked: the HMAC needs the key.
 */
export function createChainWalker(start: ChainHead, auditKey?: Uint8Array) {
  let head: ChainHead = { ...start };
  return {
    get head(): ChainHead {
      return head;
    },
    /** Undefined when `row` extends the chain, else where and why it breaks (the head stays put). */
    next(row: AuditRow): ChainBreak | undefined {
      if (auditKey) {
        const check = verifyAuditRows(auditKey, [row], head);
        if (!check.ok) return { firstBadSeq: check.firstBadSeq, problem: check.problem };
      } else {
        if (row.seq !== head.seq + 1) return { firstBadSeq: row.seq, problem: `expected seq ${head.seq + 1}, found ${row.seq}` };
        if (row.prev_hash !== head.hash) return { firstBadSeq: row.seq, problem: "prev_hash does not match the previous row" };
      }
      head = { seq: row.seq, hash: row.hash };
      return undefined;
    },
  };
}
