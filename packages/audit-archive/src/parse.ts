import type { AuditRow } from "@keyward/db";
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, HEX64, PARTITION_PATTERN, type ArchiveHeader, type ArchiveTrailer, type ChainHead } from "./format.js";

/** Parse results: the value, or what is wrong with the line. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isIso = (v: unknown): v is string => typeof v === "string" && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

function json(line: Buffer): Parsed<Obj> {
  let value: unknown;
  try {
    value = JSON.parse(line.toString("utf8"));
  } catch {
    return { ok: false, problem: "is not JSON" };
  }
  return isObj(value) ? { ok: true, value } : { ok: false, problem: "is not a JSON object" };
}

function head(v: unknown, name: string): Parsed<ChainHead> {
  if (!isObj(v)) return { ok: false, problem: `${name} must be {"seq","hash"}` };
  if (!isSeq(v.seq)) return { ok: false, problem: `${name}.seq must be a non-negative integer` };
  if (typeof v.hash !== "string" || !HEX64.test(v.hash)) return { ok: false, problem: `${name}.hash must be 64 lowercase hex characters` };
  return { ok: true, value: { seq: v.seq, hash: v.hash } };
}

export function parseHeader(line: Buffer): Parsed<ArchiveHeader> {
  const p = json(line);
  if (!p.ok) return p;
  const h = p.value;
  if (h.format !== ARCHIVE_FORMAT) return { ok: false, problem: `format must be "${ARCHIVE_FORMAT}"` };
  if (h.version !== ARCHIVE_VERSION) return { ok: false, problem: `version ${JSON.stringify(h.version)} is not supported (only ${ARCHIVE_VERSION})` };
  if (typeof h.partition !== "string" || !PARTITION_PATTERN.test(h.partition)) return { ok: false, problem: "partition must be 1–128 letters, digits or _ . : -" };
  if (!isIso(h.from)) return { ok: false, problem: "from must be an ISO time" };
  if (!isIso(h.to)) return { ok: false, problem: "to must be an ISO time" };
  const before = head(h.before, "before");
  if (!before.ok) return before;
  return { ok: true, value: { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, partition: h.partition, from: h.from, to: h.to, before: before.value } };
}

export function parseTrailer(line: Buffer): Parsed<ArchiveTrailer> {
  const p = json(line);
  if (!p.ok) return p;
  const t = p.value;
  const after = head(t.after, "after");
  if (!after.ok) return after;
  if (!isSeq(t.rows) || t.rows < 1) return { ok: false, problem: "rows must be a positive integer" };
  if (typeof t.sha256 !== "string" || !HEX64.test(t.sha256)) return { ok: false, problem: "sha256 must be 64 lowercase hex characters" };
  const c = t.checkpoint;
  if (!isObj(c)) return { ok: false, problem: "checkpoint must be {time, publicKey, signature}" };
  if (!isIso(c.time)) return { ok: false, problem: "checkpoint.time must be an ISO time" };
  if (typeof c.publicKey !== "string" || typeof c.signature !== "string") return { ok: false, problem: "checkpoint publicKey and signature must be base64 strings" };
  return { ok: true, value: { after: after.value, rows: t.rows, sha256: t.sha256, checkpoint: { time: c.time, publicKey: c.publicKey, signature: c.signature } } };
}

/** True when a line looks like a row rather than a trailer (how a file cut after a row is told from a bad trailer). */
export function looksLikeRow(line: Buffer): boolean {
  const p = json(line);
  return p.ok && "seq" in p.value && !("after" in p.value);
}

const STRING_FIELDS = ["actor_type", "actor_id", "action", "target", "result", "prev_hash", "hash"] as const;
const NULLABLE_FIELDS = ["reason", "ip", "user_agent", "request_id", "environment"] as const;

export function parseRow(line: Buffer): Parsed<AuditRow> {
  const p = json(line);
  if (!p.ok) return p;
  const r = p.value;
  if (!isSeq(r.seq) || r.seq < 1) return { ok: false, problem: "seq must be a positive integer" };
  if (!isIso(r.at)) return { ok: false, problem: "at must be an ISO time" };
  for (const f of STRING_FIELDS) if (typeof r[f] !== "string") return { ok: false, problem: `${f} must be a string` };
  for (const f of NULLABLE_FIELDS) if (r[f] !== null && typeof r[f] !== "string") return { ok: false, problem: `${f} must be a string or null` };
  if (r.count !== null && !Number.isSafeInteger(r.count)) return { ok: false, problem: "count must be an integer or null" };
  return {
    ok: true,
    value: {
      seq: r.seq,
      at: new Date(r.at),
      actor_type: r.actor_type as string,
      actor_id: r.actor_id as string,
      action: r.action as string,
      target: r.target as string,
      result: r.result as string,
      reason: r.reason as string | null,
      ip: r.ip as string | null,
      user_agent: r.user_agent as string | null,
      request_id: r.request_id as string | null,
      count: r.count as number | null,
      environment: r.environment as string | null,
      prev_hash: r.prev_hash as string,
      hash: r.hash as string,
    },
  };
}
