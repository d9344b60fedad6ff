import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { verifyArchive, type ArchiveFailure, type ArchiveVerification } from "../src/index.js";
import { archiveOf, auditKey, chainRows, fromLines, linesOf, readable, signer } from "./helpers.js";

const FAILURES: ArchiveFailure[] = ["unreadable", "not_gzip", "corrupt", "truncated", "bad_header", "bad_row", "bad_trailer", "other_signer", "bad_signature", "sha256_mismatch", "chain_broken", "wrong_name"];

/** A small seeded PRNG (mulberry32), so a failing case can be replayed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const good = await archiveOf(chainRows(40));
const original = gunzipSync(good.bytes);

/** Verifies `bytes`: it must resolve (never throw) to a typed result; ok only when the content is the original. */
async function check(bytes: Buffer, label: string): Promise<ArchiveVerification> {
  const result = await verifyArchive(readable(bytes), { publicKey: signer.publicKey, auditKey });
  if (result.ok) {
    expect(gunzipSync(bytes).equals(original), `${label}: accepted altered content`).toBe(true);
  } else {
    expect(FAILURES, label).toContain(result.failure);
    expect(typeof result.message, label).toBe("string");
  }
  return result;
}

describe("verifyArchive under fuzzing", () => {
  it("random bytes, raw and gzipped, give a typed failure", async () => {
    const random = prng(1);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    for (let i = 0; i < 150; i++) {
      const raw = bytes(Math.floor(random() * 600));
      expect((await check(raw, `raw #${i}`)).ok).toBe(false);
      expect((await check(gzipSync(raw), `gzipped #${i}`)).ok).toBe(false);
    }
  });

  it("random JSON-ish lines give a typed failure", async () => {
    const random = prng(2);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const fragments = ["{", "}", "[", "]", '"seq":', "1", "-1", "1e309", "null", '"format":"keyward-audit-archive"', '"version":1', ",", '"', "\\u0000", "true", '"after":{}', '"before":{"seq":0,"hash":"' + "0".repeat(64) + '"}'];
    for (let i = 0; i < 200; i++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 5) }, () => Array.from({ length: Math.floor(random() * 12) }, () => pick(fragments)).join(""));
      expect((await check(fromLines(lines), `lines #${i}`)).ok).toBe(false);
    }
  });

  it("mutations of a real archive are caught (or leave its content intact)", async () => {
    const random = prng(3);
    const lines = linesOf(good.bytes);
    for (let i = 0; i < 150; i++) {
      // Flip one byte of the gzip stream.
      const flipped = Buffer.from(good.bytes);
      const at = Math.floor(random() * flipped.length);
      flipped[at] = flipped[at]! ^ (1 + Math.floor(random() * 255));
      await check(flipped, `gzip byte ${at}`);
      // Change one character of the text and recompress.
      const text = Buffer.from(original);
      const pos = Math.floor(random() * text.length);
      text[pos] = 32 + Math.floor(random() * 95);
      if (!text.equals(original)) expect((await check(gzipSync(text), `text byte ${pos}`)).ok).toBe(false);
      // Drop, duplicate or swap lines.
      const edited = [...lines];
      const a = Math.floor(random() * edited.length);
      const b = Math.floor(random() * edited.length);
      const op = Math.floor(random() * 3);
      if (op === 0) edited.splice(a, 1);
      else if (op === 1) edited.splice(a, 0, edited[b]!);
      else [edited[a], edited[b]] = [edited[b]!, edited[a]!];
      if (edited.join("\n") !== lines.join("\n")) expect((await check(fromLines(edited), `lines op ${op} ${a} ${b}`)).ok).toBe(false);
    }
  });

  it("a huge line is refused without reading it whole", async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x61)); // 16 MiB of "a" in one line, ~16 KiB compressed
    const result = await check(bomb, "bomb");
    expect(result).toMatchObject({ ok: false, failure: "bad_row", line: 1 });
  });
});
