import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGzip } from "node:zlib";
import { KeywardError, signText, type SigningKeys } from "@keyward/common";
import type { AuditRow } from "@keyward/db";
import { createChainWalker } from "./chain-walker.js";
import { BrokenChainError } from "./errors.js";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  HEX64,
  MAX_LINE_BYTES,
  PARTITION_PATTERN,
  archiveName,
  archiveSignedText,
  rowLine,
  type ArchiveHeader,
  type ArchiveSummary,
  type ArchiveTrailer,
  type ChainHead,
} from "./format.js";

export interface WriteArchiveInput {
  /** The partition's name (letters, digits, `_ . : -`); recorded and signed. */
  partition: string;
  /** The partition's time bounds, recorded in the header. */
  from: Date;
  to: Date;
  /** The chain head just before the first row: row firstSeq-1 and its hash, or `{ seq: 0, hash: GENESIS_HASH }`. */
  before: ChainHead;
  /**
   * The seq of the partition's last row. The name (`audit-<first>-<last>.jsonl.gz`) is known before
   * the rows are read, and rows that stop short of it or run past it are refused: an archive must
   * hold the whole partition that is dropped after it.
   */
  lastSeq: number;
  /** The partition's rows in seq order (a cursor): read as the archive is consumed, never all held. */
  rows: AsyncIterable<AuditRow>;
  /** Signs the trailer's checkpoint (the audit signing key). */
  signer: SigningKeys;
  /** The audit chain's HMAC key: every row is checked against it while writing. */
  auditKey: Uint8Array;
  /** The checkpoint's time. */
  at: Date;
}

export interface ArchiveWrite {
  /** The object name to store the archive under. */
  name: string;
  /** The gzip bytes. Consume it once (e.g. `sink.put(name, body)`); it errors if the chain breaks. */
  body: Readable;
  /** Resolves when `body` has been fully produced; rejects (BrokenChainError, …) when it failed. */
  summary: Promise<ArchiveSummary>;
}

/** Rows are written in chunks of about this many bytes, not one tiny chunk per row. */
const CHUNK_BYTES = 64 * 1024;

function checkInput(input: WriteArchiveInput): void {
  const bad = (field: string, message: string) => new KeywardError("invalid_argument", `writeArchive: ${field} ${message}`, { field });
  if (!PARTITION_PATTERN.test(input.partition)) throw bad("partition", "must be 1–128 letters, digits or _ . : -");
  for (const field of ["from", "to", "at"] as const) {
    if (!(input[field] instanceof Date) || Number.isNaN(input[field].getTime())) throw bad(field, "must be a valid Date");
  }
  if (input.to.getTime() <= input.from.getTime()) throw bad("to", "must be after from");
  if (!Number.isSafeInteger(input.before?.seq) || input.before.seq < 0) throw bad("before.seq", "must be a non-negative integer");
  if (typeof input.before.hash !== "string" || !HEX64.test(input.before.hash)) throw bad("before.hash", "must be 64 lowercase hex characters");
  if (!Number.isSafeInteger(input.lastSeq) || input.lastSeq < input.before.seq) throw bad("lastSeq", `must be an integer ≥ before.seq (${input.before.seq})`);
}

/**
 * Streams an archive of one partition's rows: a header, one JSON line per row, and a trailer with the
 * chain head after the last row, the SHA-256 of all lines before it and a signed checkpoint, gzipped.
 * Rows are checked as they pass (seq, prev_hash, HMAC from `before`); a break stops the stream with a
 * BrokenChainError naming the first bad seq, so no complete archive of a broken chain ever exists.
 *
 * Returns undefined for an empty partition (`lastSeq === before.seq`): it produces no archive.
 */
export function writeArchive(input: WriteArchiveInput): ArchiveWrite | undefined {
  checkInput(input);
  if (input.lastSeq === input.before.seq) return undefined;
  const firstSeq = input.before.seq + 1;
  const name = archiveName(firstSeq, input.lastSeq);
  const sha = createHash("sha256");
  let summary: ArchiveSummary | undefined;

  async function* lines(): AsyncGenerator<Buffer> {
    const header: ArchiveHeader = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      partition: input.partition,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      before: { seq: input.before.seq, hash: input.before.hash },
    };
    let pending: string[] = [JSON.stringify(header) + "\n"];
    let pendingBytes = 0;
    const flush = () => {
      const chunk = Buffer.from(pending.join(""), "utf8");
      sha.update(chunk);
      pending = [];
      pendingBytes = 0;
      return chunk;
    };
    const walker = createChainWalker(input.before, input.auditKey);
    let rows = 0;
    for await (const raw of input.rows) {
      const seq = Number(raw.seq);
      let line: string;
      try {
        const row = { ...raw, seq };
        const broken = walker.next(row);
        if (broken) throw new BrokenChainError(broken.firstBadSeq, broken.problem);
        if (seq > input.lastSeq) throw new BrokenChainError(seq, `the partition was said to end at seq ${input.lastSeq}`);
        line = rowLine(row) + "\n";
      } catch (error) {
        if (error instanceof BrokenChainError) throw error;
        throw new BrokenChainError(seq, `the row cannot be read: ${(error as Error).message}`);
      }
      if (Buffer.byteLength(line) > MAX_LINE_BYTES) throw new BrokenChainError(seq, `the row is longer than ${MAX_LINE_BYTES} bytes as JSON`);
      pending.push(line);
      pendingBytes += line.length;
      rows++;
      if (pendingBytes >= CHUNK_BYTES) yield flush();
    }
    const after = walker.head;
    if (after.seq !== input.lastSeq) throw new BrokenChainError(after.seq + 1, `the rows ended at seq ${after.seq}, but the partition ends at seq ${input.lastSeq}`);
    if (pending.length > 0) yield flush();
    const digest = sha.digest("hex");
    const time = input.at.toISOString();
    const signature = signText(input.signer.privateKey, archiveSignedText({ partition: input.partition, before: input.before, after, rows, sha256: digest, time }));
    const trailer: ArchiveTrailer = { after, rows, sha256: digest, checkpoint: { time, publicKey: input.signer.publicKey, signature } };
    yield Buffer.from(JSON.stringify(trailer) + "\n", "utf8");
    summary = { name, partition: header.partition, from: header.from, to: header.to, firstSeq, lastSeq: after.seq, rows, before: header.before, after, sha256: digest, checkpoint: trailer.checkpoint };
  }

  const gzip = createGzip();
  let settle!: { resolve: (s: ArchiveSummary) => void; reject: (e: unknown) => void };
  const summaryPromise = new Promise<ArchiveSummary>((resolve, reject) => (settle = { resolve, reject }));
  // Whoever only consumes `body` still sees the error there; this keeps the promise from going unhandled.
  summaryPromise.catch(() => undefined);
  pipeline(Readable.from(lines(), { objectMode: false }), gzip, (error) => {
    if (error) settle.reject(error);
    else if (summary) settle.resolve(summary);
    else settle.reject(new KeywardError("internal", "the archive stream ended before its trailer"));
  });
  return { name, body: gzip, summary: summaryPromise };
}
