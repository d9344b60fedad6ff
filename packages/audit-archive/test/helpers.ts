import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { signingKeysFromSeed } from "@keyward/common";
import { GENESIS_HASH, auditRowHash, type AuditRow } from "@keyward/db";
import { writeArchive, type ArchiveSummary, type ChainHead } from "../src/index.js";

export const auditKey = randomBytes(32);
export const signer = signingKeysFromSeed(randomBytes(32));
export const otherSigner = signingKeysFromSeed(randomBytes(32));

/** Rows seq 1..n chained with the real auditRowHash; a mix of nulls, counts and environments. */
export function chainRows(n: number, options: { key?: Uint8Array; start?: ChainHead; /** Random hex characters added to each request_id (incompressible bulk). */ noise?: number } = {}): AuditRow[] {
  const { key = auditKey, start = { seq: 0, hash: GENESIS_HASH }, noise = 0 } = options;
  const rows: AuditRow[] = [];
  let prev = start.hash;
  for (let i = 1; i <= n; i++) {
    const seq = start.seq + i;
    const base = {
      at: new Date(Date.UTC(2026, 0, 1) + seq * 1000),
      actor_type: seq % 3 === 0 ? "admin" : "service",
      actor_id: `actor-${seq % 7}`,
      action: "secret.read",
      target: `DB_PASSWORD_${seq % 5}`,
      result: seq % 11 === 0 ? "denied" : "ok",
      reason: seq % 11 === 0 ? "no grant" : null,
      ip: seq % 2 === 0 ? "127.0.0.1" : null,
      user_agent: seq % 4 === 0 ? "keyward-sdk/1.0 \"quoted\" ünïcode" : null,
      request_id: noise ? `req-${seq}-${randomBytes(noise / 2).toString("hex")}` : `req-${seq}`,
      count: seq % 13 === 0 ? 5 : null,
      environment: seq % 5 === 0 ? "production" : null,
    };
    const hash = auditRowHash(key, prev, seq, base);
    rows.push({ ...base, seq, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

export async function* iterate<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const head = (rows: AuditRow[], index: number): ChainHead => (index < 0 ? { seq: 0, hash: GENESIS_HASH } : { seq: rows[index]!.seq, hash: rows[index]!.hash });

/** Writes an archive of `rows` (which must follow `before`) and returns its bytes and summary. */
export async function archiveOf(rows: AuditRow[], before: ChainHead = { seq: 0, hash: GENESIS_HASH }, signing = signer): Promise<{ bytes: Buffer; summary: ArchiveSummary }> {
  const write = writeArchive({
    partition: "audit_log_p2026_01",
    from: new Date("2026-01-01T00:00:00Z"),
    to: new Date("2026-02-01T00:00:00Z"),
    before,
    lastSeq: rows.length ? rows[rows.length - 1]!.seq : before.seq,
    rows: iterate(rows),
    signer: signing,
    auditKey,
    at: new Date("2026-04-01T00:00:00Z"),
  });
  if (!write) throw new Error("empty");
  const bytes = await collect(write.body);
  return { bytes, summary: await write.summary };
}

export const readable = (bytes: Uint8Array) => Readable.from([Buffer.from(bytes)]);

/** The archive's lines (uncompressed, without newlines). */
export const linesOf = (bytes: Buffer) => gunzipSync(bytes).toString("utf8").split("\n").slice(0, -1);
/** An archive rebuilt from edited lines (recompressed, so only the content check can catch it). */
export const fromLines = (lines: string[]) => gzipSync(Buffer.from(lines.map((l) => l + "\n").join(""), "utf8"));
