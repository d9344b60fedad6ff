import type { AuditRow } from "@keyward/db";

/** The `format` of every archive's header line. */
export const ARCHIVE_FORMAT = "keyward-audit-archive";
export const ARCHIVE_VERSION = 1;
/** A line longer than this is refused by the writer and the verifier alike, so verifying runs in flat memory. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** A point in the audit chain: the row `seq` and its hash (seq 0 is the genesis, `GENESIS_HASH`). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  partition: string;
  from: string;
  to: string;
  before: ChainHead;
}

/** The signed statement an archive ends with (the trailer's `checkpoint`). */
export interface ArchiveCheckpoint {
  time: string;
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  signature: string;
}

export interface ArchiveTrailer {
  after: ChainHead;
  rows: number;
  /** SHA-256 (hex) of the uncompressed bytes of every line before the trailer, newlines included. */
  sha256: string;
  checkpoint: ArchiveCheckpoint;
}

/** What an archive holds, as the writer produced it or the verifier read it. */
export interface ArchiveSummary {
  /** The object name: `audit-<firstSeq>-<lastSeq>.jsonl.gz`, both padded to 20 digits. */
  name: string;
  partition: string;
  from: string;
  to: string;
  firstSeq: number;
  lastSeq: number;
  rows: number;
  before: ChainHead;
  after: ChainHead;
  sha256: string;
  checkpoint: ArchiveCheckpoint;
}

const pad = (seq: number) => String(seq).padStart(20, "0");

/** `audit-<firstSeq>-<lastSeq>.jsonl.gz` with both padded to 20 digits, so names sort by seq. */
export function archiveName(firstSeq: number, lastSeq: number): string {
  return `audit-${pad(firstSeq)}-${pad(lastSeq)}.jsonl.gz`;
}

export const ARCHIVE_NAME_PATTERN = /^audit-(\d{20})-(\d{20})\.jsonl\.gz$/;

/** The seq range an archive name stands for, or undefined for a name that is not an archive's. */
export function parseArchiveName(name: string): { firstSeq: number; lastSeq: number } | undefined {
  const m = ARCHIVE_NAME_PATTERN.exec(name);
  if (!m) return undefined;
  const firstSeq = Number(m[1]);
  const lastSeq = Number(m[2]);
  if (!Number.isSafeInteger(firstSeq) || !Number.isSafeInteger(lastSeq) || firstSeq < 1 || lastSeq < firstSeq) return undefined;
  return { firstSeq, lastSeq };
}

/** Partition names go into the signed text one per line: no newlines, nothing exotic. */
export const PARTITION_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The exact text the trailer's checkpoint signs. `sha256` covers the header and every row. */
export function archiveSignedText(s: { partition: string; before: ChainHead; after: ChainHead; rows: number; sha256: string; time: string }): string {
  return ["keyward-audit-archive:v1", s.partition, s.before.seq, s.before.hash, s.after.seq, s.after.hash, s.rows, s.sha256, s.time].join("\n");
}

/** The fields of a row line, in the order they are written. */
export const ROW_FIELDS = ["seq", "at", "actor_type", "actor_id", "action", "target", "result", "reason", "ip", "user_agent", "request_id", "count", "environment", "prev_hash", "hash"] as const;

/** One row as its archive line (without the newline): seq a number, `at` an ISO string, nulls kept. */
export function rowLine(row: AuditRow): string {
  const at = row.at instanceof Date ? row.at.toISOString() : new Date(row.at as unknown as string).toISOString();
  return JSON.stringify({
    seq: Number(row.seq),
    at,
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    action: row.action,
    target: row.target,
    result: row.result,
    reason: row.reason ?? null,
    ip: row.ip ?? null,
    user_agent: row.user_agent ?? null,
    request_id: row.request_id ?? null,
    count: row.count === null || row.count === undefined ? null : Number(row.count),
    environment: row.environment ?? null,
    prev_hash: row.prev_hash,
    hash: row.hash,
  });
}

export const HEX64 = /^[0-9a-f]{64}$/;
