import { createHash } from "node:crypto";
import { Transform, pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { verifyText } from "@keyward/common";
import { createChainWalker, type ChainBreak } from "./chain-walker.js";
import { MAX_LINE_BYTES, archiveName, archiveSignedText, type ArchiveHeader, type ArchiveSummary } from "./format.js";
import { LineTooLong, splitLines } from "./lines.js";
import { looksLikeRow, parseHeader, parseRow, parseTrailer } from "./parse.js";

export type ArchiveFailure =
  /** The source stream failed (a read error), not the archive. */
  | "unreadable"
  /** The bytes are not gzip. */
  | "not_gzip"
  /** gzip, but the compressed data is damaged (bad block or CRC). */
  | "corrupt"
  /** Cut short: the gzip stream, the last line or the trailer is missing. */
  | "truncated"
  | "bad_header"
  | "bad_row"
  | "bad_trailer"
  /** Signed by a key other than the trusted `publicKey`. */
  | "other_signer"
  /** The trailer's signature does not match its contents (the trailer was edited or swapped). */
  | "bad_signature"
  /** The lines are not the ones the trailer signed: a row or the header was altered, added or removed. */
  | "sha256_mismatch"
  /** The signed rows themselves do not chain (seq, prev_hash or, with auditKey, HMAC). */
  | "chain_broken"
  /** The archive is stored under a name that is not its seq range. */
  | "wrong_name";

export type ArchiveVerification =
  | { ok: true; summary: ArchiveSummary; /** Whether each row's HMAC was checked (auditKey given); seq and prev_hash always are. */ hmacChecked: boolean }
  | { ok: false; failure: ArchiveFailure; message: string; /** The first row found wrong, when one is known. */ firstBadSeq?: number; /** 1-based line of the uncompressed file, when known. */ line?: number };

export interface VerifyArchiveOptions {
  /** The signing key the verifier trusts (raw Ed25519, base64): an archive signed by any other is refused. */
  publicKey: string;
  /** The audit HMAC key: with it, every row's HMAC is checked and the first bad row named. */
  auditKey?: Uint8Array;
  /** The name the archive was stored under; when given it must be the archive's own name. */
  name?: string;
}

class NotGzip extends Error {}

/** Passes bytes through once the first two are gzip's magic number. */
function gzipMagic(): Transform {
  let seen = Buffer.alloc(0);
  let checked = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (checked) return done(null, chunk);
      seen = Buffer.concat([seen, chunk]);
      if (seen.length < 2) return done();
      checked = true;
      if (seen[0] !== 0x1f || seen[1] !== 0x8b) return done(new NotGzip("not gzip"));
      done(null, seen);
    },
    flush(done) {
      if (!checked) return done(new NotGzip("not gzip"));
      done();
    },
  });
}

const fail = (failure: ArchiveFailure, message: string, extra: { firstBadSeq?: number; line?: number } = {}): ArchiveVerification => ({ ok: false, failure, message, ...extra });

function streamFailure(error: unknown): ArchiveVerification {
  if (error instanceof NotGzip) return fail("not_gzip", "the archive is not gzip data");
  if (error instanceof LineTooLong) return fail("bad_row", `line ${error.line} is longer than ${MAX_LINE_BYTES} bytes`, { line: error.line });
  const code = (error as { code?: string }).code;
  if (code === "Z_BUF_ERROR" || (error as Error).message === "unexpected end of file") return fail("truncated", "the gzip stream ends early: the archive is truncated");
  if (typeof code === "string" && code.startsWith("Z_")) return fail("corrupt", `the gzip data is damaged (${(error as Error).message})`);
  return fail("unreadable", `the archive could not be read: ${(error as Error).message}`);
}

/**
 * Checks one archive on its own, streaming in flat memory: gzip, header, every row (contiguous seq
 * and prev_hash from the header's `before`, plus the HMAC with `auditKey`), the trailer's SHA-256
 * over all lines before it, and its checkpoint signed by the trusted `publicKey`. Never throws for
 * a bad archive: the result names what is wrong.
 */
export async function verifyArchive(source: Readable | AsyncIterable<Uint8Array>, options: VerifyArchiveOptions): Promise<ArchiveVerification> {
  const gunzip = createGunzip();
  const input = pipeline(source as Readable, gzipMagic(), gunzip, () => undefined);
  try {
    return await check(splitLines(input as AsyncIterable<Buffer>, MAX_LINE_BYTES), options);
  } catch (error) {
    return streamFailure(error);
  } finally {
    gunzip.destroy();
  }
}

async function check(split: ReturnType<typeof splitLines>, options: VerifyArchiveOptions): Promise<ArchiveVerification> {
  const sha = createHash("sha256");
  let header: ArchiveHeader | undefined;
  let walker: ReturnType<typeof createChainWalker> | undefined;
  let pending: Buffer | undefined;
  let lineNo = 0;
  let rows = 0;
  let broken: (ChainBreak & { line: number }) | undefined;

  for await (const line of split.lines) {
    lineNo++;
    if (!header) {
      const parsed = parseHeader(line);
      if (!parsed.ok) return fail("bad_header", `the header (line 1) is not an archive header: ${parsed.problem}`, { line: 1 });
      header = parsed.value;
      walker = createChainWalker(header.before, options.auditKey);
      sha.update(line).update("\n");
      continue;
    }
    // One line of lookahead: a line is a row once another follows it; the last one is the trailer.
    if (pending) {
      const result = row(pending, lineNo - 1);
      if (result) return result;
    }
    pending = Buffer.from(line);
  }
  if (split.rest().length > 0) return fail("truncated", `the archive ends in the middle of line ${lineNo + 1}: it is truncated`, { line: lineNo + 1 });
  if (!header) return fail("truncated", "the archive is empty: no header");
  if (!pending) return fail("truncated", "the archive ends after its header: no rows and no trailer");
  if (looksLikeRow(pending)) return fail("truncated", `the archive ends after a row (line ${lineNo}) without its trailer: it is truncated`, { line: lineNo });
  const parsed = parseTrailer(pending);
  if (!parsed.ok) return fail("bad_trailer", `the trailer (line ${lineNo}) is not valid: ${parsed.problem}`, { line: lineNo });
  const trailer = parsed.value;
  const { checkpoint } = trailer;
  if (checkpoint.publicKey !== options.publicKey) return fail("other_signer", "the archive was signed by another key than the trusted one");
  const signed = archiveSignedText({ partition: header.partition, before: header.before, after: trailer.after, rows: trailer.rows, sha256: trailer.sha256, time: checkpoint.time });
  if (!verifyText(options.publicKey, signed, checkpoint.signature)) return fail("bad_signature", "the trailer's signature does not match the archive's header and trailer (altered or taken from another archive)");
  const digest = sha.digest("hex");
  const at = broken ? { firstBadSeq: broken.firstBadSeq, line: broken.line } : {};
  if (digest !== trailer.sha256) {
    return fail("sha256_mismatch", `the archive's lines are not the ones its trailer signed${broken ? `: the first bad row is seq ${broken.firstBadSeq} (${broken.problem})` : ": a row or the header was altered"}`, at);
  }
  if (broken) return fail("chain_broken", `the signed rows do not chain at seq ${broken.firstBadSeq} (${broken.problem})${options.auditKey ? "; is this the right audit key?" : ""}`, at);
  const after = walker!.head;
  if (rows !== trailer.rows || after.seq !== trailer.after.seq || after.hash !== trailer.after.hash) {
    return fail("bad_trailer", `the trailer says ${trailer.rows} rows ending at seq ${trailer.after.seq}, the archive holds ${rows} ending at seq ${after.seq}`);
  }
  const summary: ArchiveSummary = {
    name: archiveName(header.before.seq + 1, after.seq),
    partition: header.partition,
    from: header.from,
    to: header.to,
    firstSeq: header.before.seq + 1,
    lastSeq: after.seq,
    rows,
    before: header.before,
    after,
    sha256: digest,
    checkpoint,
  };
  if (options.name !== undefined && options.name !== summary.name) return fail("wrong_name", `the archive stored as ${options.name} holds rows ${summary.firstSeq}–${summary.lastSeq}; its name is ${summary.name}`);
  return { ok: true, summary, hmacChecked: options.auditKey !== undefined };

  function row(line: Buffer, n: number): ArchiveVerification | undefined {
    sha.update(line).update("\n");
    rows++;
    const parsed = parseRow(line);
    if (!parsed.ok) {
      if (parseTrailer(line).ok) return fail("bad_row", `line ${n} is a trailer, but more lines follow it (data appended after the archive's end?)`, { line: n });
      return fail("bad_row", `line ${n} is not an audit row: ${parsed.problem}`, { line: n });
    }
    // Keep reading after a chain break: the SHA-256 and signature decide whether the file was altered.
    if (!broken) {
      const b = walker!.next(parsed.value);
      if (b) broken = { ...b, line: n };
    }
    return undefined;
  }
}
