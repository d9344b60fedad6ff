import { hmacHex } from "@keyward/common";
import type { AuditRow, NewAuditRow } from "../../schema.js";

export const GENESIS_HASH = "0".repeat(64);

/** The canonical text an audit row's HMAC covers: every field but the hash, in a fixed order. */
export function auditRowHash(key: Uint8Array, prevHash: string, seq: number, row: NewAuditRow): string {
  const at = row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString();
  const fields: unknown[] = [seq, at, row.actor_type, row.actor_id, row.action, row.target, row.result, row.reason ?? null, row.ip ?? null, row.user_agent ?? null, row.request_id ?? null];
  // Only aggregated rows carry a count, and only rows written since environments (issue #13) carry
  // an environment; leaving them out otherwise keeps every earlier row's hash. A row with an
  // environment always has 13 fields (count or null, then the name), so the two never read alike.
  const hasCount = row.count !== null && row.count !== undefined;
  if (row.environment !== null && row.environment !== undefined) fields.push(hasCount ? row.count : null, row.environment);
  else if (hasCount) fields.push(row.count);
  return hmacHex(key, prevHash + "\n" + JSON.stringify(fields));
}

export type ChainCheck = { ok: true; rows: number } | { ok: false; firstBadSeq: number; problem: string };

/** Walks rows in seq order; an edited, deleted, inserted or reordered row breaks the chain there. */
export function verifyAuditRows(key: Uint8Array, rows: AuditRow[], start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainCheck {
  let prev = start.hash;
  let lastSeq = start.seq;
  for (const row of rows) {
    if (row.seq !== lastSeq + 1) return { ok: false, firstBadSeq: row.seq, problem: `expected seq ${lastSeq + 1}, found ${row.seq}` };
    if (row.prev_hash !== prev) return { ok: false, firstBadSeq: row.seq, problem: "prev_hash does not match the previous row" };
    if (row.hash !== auditRowHash(key, prev, row.seq, row)) return { ok: false, firstBadSeq: row.seq, problem: "row hash does not match its contents" };
    prev = row.hash;
    lastSeq = row.seq;
  }
  return { ok: true, rows: rows.length };
}
