import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { AuditRow } from "@keyward/db";
import { verifyArchive, type ArchiveVerification } from "../src/index.js";
import { archiveOf, auditKey, chainRows, fromLines, head, linesOf, otherSigner, readable, signer } from "./helpers.js";

const rows = chainRows(120);
const good = await archiveOf(rows);
const publicKey = signer.publicKey;

const verify = (bytes: Buffer, withKey = true) => verifyArchive(readable(bytes), withKey ? { publicKey, auditKey } : { publicKey });
const failure = (r: ArchiveVerification) => {
  if (r.ok) throw new Error("expected a failure");
  return r;
};
/** The archive's lines with line `index` (0 = header) replaced by `edit` of its JSON. */
const editLine = (index: number, edit: (value: Record<string, unknown>) => Record<string, unknown>) => {
  const lines = linesOf(good.bytes);
  lines[index] = JSON.stringify(edit(JSON.parse(lines[index]!)));
  return fromLines(lines);
};

describe("verifyArchive", () => {
  it("accepts the archive, with and without the audit key", async () => {
    expect(await verify(good.bytes)).toEqual({ ok: true, summary: good.summary, hmacChecked: true });
    expect(await verify(good.bytes, false)).toEqual({ ok: true, summary: good.summary, hmacChecked: false });
  });

  it("accepts an async iterable of small chunks (line boundaries anywhere)", async () => {
    async function* bytes() {
      for (let i = 0; i < good.bytes.length; i += 7) yield good.bytes.subarray(i, i + 7);
    }
    expect((await verifyArchive(bytes(), { publicKey, auditKey })).ok).toBe(true);
  });

  it("names an edited row: by its HMAC with the audit key, as a content mismatch without", async () => {
    const edited = editLine(40, (row) => ({ ...row, target: "SOMETHING_ELSE" }));
    const withKey = failure(await verify(edited));
    expect(withKey).toMatchObject({ failure: "sha256_mismatch", firstBadSeq: 40, line: 41 });
    expect(withKey.message).toContain("seq 40");
    const withoutKey = failure(await verify(edited, false));
    expect(withoutKey.failure).toBe("sha256_mismatch");
    expect(withoutKey.firstBadSeq).toBeUndefined();
  });

  it("names an edited row whose hashes were recomputed with the audit key (the signature still catches it)", async () => {
    // Whoever holds the audit key can rebuild the chain, but not re-sign the trailer.
    const { auditRowHash } = await import("@keyward/db");
    const lines = linesOf(good.bytes);
    let prev = rows[58]!.hash;
    for (let i = 59; i < 120; i++) {
      const row = JSON.parse(lines[i + 1]!) as AuditRow & { at: string };
      if (i === 59) row.result = "denied";
      row.prev_hash = prev;
      row.hash = auditRowHash(auditKey, prev, row.seq, row);
      prev = row.hash;
      lines[i + 1] = JSON.stringify(row);
    }
    const trailer = JSON.parse(lines[121]!);
    lines[121] = JSON.stringify({ ...trailer, after: { seq: 120, hash: prev } });
    expect(failure(await verify(fromLines(lines))).failure).toBe("bad_signature");
  });

  it("names a deleted row, with and without the audit key", async () => {
    const lines = linesOf(good.bytes);
    lines.splice(51, 1); // row 51
    const withKey = failure(await verify(fromLines(lines)));
    expect(withKey).toMatchObject({ failure: "sha256_mismatch", firstBadSeq: 52 });
    expect(withKey.message).toContain("expected seq 51, found 52");
    expect(failure(await verify(fromLines(lines), false))).toMatchObject({ failure: "sha256_mismatch", firstBadSeq: 52 });
  });

  it("names a truncated file: cut gzip, cut after a row, cut mid-line", async () => {
    const cut = failure(await verify(good.bytes.subarray(0, Math.floor(good.bytes.length / 2))));
    expect(cut.failure).toBe("truncated");
    const lastBytesCut = failure(await verify(good.bytes.subarray(0, good.bytes.length - 4)));
    expect(lastBytesCut.failure).toBe("truncated");
    const lines = linesOf(good.bytes);
    const noTrailer = failure(await verify(fromLines(lines.slice(0, -1))));
    expect(noTrailer).toMatchObject({ failure: "truncated", line: 121 });
    expect(noTrailer.message).toContain("without its trailer");
    const midLine = gzipSync(Buffer.from(lines.map((l) => l + "\n").join("").slice(0, -30), "utf8"));
    expect(failure(await verify(midLine)).failure).toBe("truncated");
    expect(failure(await verify(fromLines(lines.slice(0, 1)))).failure).toBe("truncated");
    expect(failure(await verify(gzipSync(Buffer.alloc(0)))).failure).toBe("truncated");
  });

  it("names a trailer swapped in from another archive", async () => {
    // Another archive of the same partition and start: its signature is valid, but not over these lines.
    const other = await archiveOf(rows.slice(0, 60));
    const lines = linesOf(good.bytes);
    lines[lines.length - 1] = linesOf(other.bytes).at(-1)!;
    expect(failure(await verify(fromLines(lines), false)).failure).toBe("sha256_mismatch");
    const shorter = linesOf(other.bytes);
    shorter[shorter.length - 1] = linesOf(good.bytes).at(-1)!;
    expect(failure(await verify(fromLines(shorter), false)).failure).toBe("sha256_mismatch");
    // An archive of another partition or starting point: the signature does not cover this header.
    const elsewhere = await archiveOf(rows.slice(60), head(rows, 59));
    const mixed = linesOf(good.bytes);
    mixed[mixed.length - 1] = linesOf(elsewhere.bytes).at(-1)!;
    expect(failure(await verify(fromLines(mixed))).failure).toBe("bad_signature");
  });

  it("names an edited header or trailer field", async () => {
    expect(failure(await verify(editLine(0, (h) => ({ ...h, partition: "audit_log_p2025_12" })))).failure).toBe("bad_signature");
    expect(failure(await verify(editLine(0, (h) => ({ ...h, from: "2025-01-01T00:00:00.000Z" })))).failure).toBe("sha256_mismatch");
    expect(failure(await verify(editLine(121, (t) => ({ ...t, rows: 119 })))).failure).toBe("bad_signature");
    expect(failure(await verify(editLine(0, (h) => ({ ...h, format: "other" })))).failure).toBe("bad_header");
    expect(failure(await verify(editLine(0, (h) => ({ ...h, version: 2 })))).message).toContain("version 2 is not supported");
    expect(failure(await verify(editLine(121, (t) => ({ ...t, sha256: "nope" })))).failure).toBe("bad_trailer");
  });

  it("refuses another signer, even with a valid signature", async () => {
    const foreign = await archiveOf(rows, undefined, otherSigner);
    const r = failure(await verify(foreign.bytes));
    expect(r.failure).toBe("other_signer");
    expect((await verifyArchive(readable(foreign.bytes), { publicKey: otherSigner.publicKey })).ok).toBe(true);
  });

  it("names a chain that is signed but does not link (wrong audit key)", async () => {
    const r = failure(await verifyArchive(readable(good.bytes), { publicKey, auditKey: Buffer.alloc(32, 1) }));
    expect(r).toMatchObject({ failure: "chain_broken", firstBadSeq: 1 });
    expect(r.message).toContain("right audit key");
  });

  it("refuses bytes that are not gzip, and damaged gzip", async () => {
    expect(failure(await verify(Buffer.from("{\"format\":\"keyward-audit-archive\"}\n"))).failure).toBe("not_gzip");
    expect(failure(await verify(Buffer.alloc(0))).failure).toBe("not_gzip");
    expect(failure(await verify(Buffer.from([0x1f]))).failure).toBe("not_gzip");
    const damaged = Buffer.from(good.bytes);
    damaged[damaged.length - 6] = damaged[damaged.length - 6]! ^ 0xff; // the gzip CRC
    expect(failure(await verify(damaged)).failure).toBe("corrupt");
  });

  it("refuses an archive stored under another name", async () => {
    const r = failure(await verifyArchive(readable(good.bytes), { publicKey, name: "audit-00000000000000000001-00000000000000000099.jsonl.gz" }));
    expect(r.failure).toBe("wrong_name");
    expect(r.message).toContain(good.summary.name);
  });

  it("reports a source that fails to read as unreadable", async () => {
    async function* broken() {
      yield good.bytes.subarray(0, 100);
      throw new Error("disk gone");
    }
    const r = failure(await verifyArchive(broken(), { publicKey }));
    expect(r.failure).toBe("unreadable");
    expect(r.message).toContain("disk gone");
  });

  it("names a bad row line", async () => {
    const lines = linesOf(good.bytes);
    lines[10] = "not json";
    expect(failure(await verify(fromLines(lines)))).toMatchObject({ failure: "bad_row", line: 11 });
    expect(failure(await verify(editLine(5, (r) => ({ ...r, count: "5" }))))).toMatchObject({ failure: "bad_row", line: 6 });
    const appended = linesOf(good.bytes);
    appended.push(appended[5]!);
    const r = failure(await verify(fromLines(appended)));
    expect(r).toMatchObject({ failure: "bad_row", line: 122 });
    expect(r.message).toContain("more lines follow");
  });
});
