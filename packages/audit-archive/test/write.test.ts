import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { KeywardError, verifyText } from "@keyward/common";
import { GENESIS_HASH, auditRowHash, type AuditRow } from "@keyward/db";
import { BrokenChainError, archiveName, archiveSignedText, parseArchiveName, verifyArchive, writeArchive, type WriteArchiveInput } from "../src/index.js";
import { archiveOf, auditKey, chainRows, collect, head, iterate, readable, signer } from "./helpers.js";

const input = (rows: AuditRow[], over: Partial<WriteArchiveInput> = {}): WriteArchiveInput => ({
  partition: "audit_log_p2026_01",
  from: new Date("2026-01-01T00:00:00Z"),
  to: new Date("2026-02-01T00:00:00Z"),
  before: { seq: 0, hash: GENESIS_HASH },
  lastSeq: rows[rows.length - 1]?.seq ?? 0,
  rows: iterate(rows),
  signer,
  auditKey,
  at: new Date("2026-04-01T00:00:00Z"),
  ...over,
});

/** Runs a write that must fail: the body errors, the summary rejects, both with the same error. */
async function failedWrite(i: WriteArchiveInput): Promise<BrokenChainError> {
  const write = writeArchive(i)!;
  const bodyError = await collect(write.body).then(
    () => undefined,
    (e: unknown) => e,
  );
  const summaryError = await write.summary.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(bodyError).toBeInstanceOf(BrokenChainError);
  expect(summaryError).toBe(bodyError);
  return bodyError as BrokenChainError;
}

describe("writeArchive", () => {
  it("writes header, rows and a signed trailer that verify, round trip", async () => {
    const rows = chainRows(250);
    const { bytes, summary } = await archiveOf(rows);
    expect(summary).toMatchObject({ name: archiveName(1, 250), firstSeq: 1, lastSeq: 250, rows: 250, before: { seq: 0, hash: GENESIS_HASH }, after: head(rows, 249) });

    const text = gunzipSync(bytes).toString("utf8");
    const lines = text.split("\n");
    expect(lines.pop()).toBe(""); // ends with a newline
    expect(JSON.parse(lines[0]!)).toEqual({ format: "keyward-audit-archive", version: 1, partition: "audit_log_p2026_01", from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z", before: { seq: 0, hash: GENESIS_HASH } });
    const row13 = JSON.parse(lines[13]!);
    expect(row13).toEqual({ ...rows[12], at: rows[12]!.at.toISOString() });
    expect(row13.count).toBe(5);
    expect(JSON.parse(lines[1]!).ip).toBeNull(); // nulls kept
    const trailer = JSON.parse(lines[251]!);
    expect(trailer.rows).toBe(250);
    expect(trailer.after).toEqual(head(rows, 249));
    const before = Buffer.from(lines.slice(0, 251).map((l) => l + "\n").join(""), "utf8");
    expect(trailer.sha256).toBe(createHash("sha256").update(before).digest("hex"));
    const signed = archiveSignedText({ partition: "audit_log_p2026_01", before: { seq: 0, hash: GENESIS_HASH }, after: trailer.after, rows: 250, sha256: trailer.sha256, time: "2026-04-01T00:00:00.000Z" });
    expect(verifyText(signer.publicKey, signed, trailer.checkpoint.signature)).toBe(true);
    expect(trailer.checkpoint).toMatchObject({ time: "2026-04-01T00:00:00.000Z", publicKey: signer.publicKey });

    const verified = await verifyArchive(readable(bytes), { publicKey: signer.publicKey, auditKey, name: summary.name });
    expect(verified).toEqual({ ok: true, summary, hmacChecked: true });
  });

  it("archives a middle partition, chained from the row before it", async () => {
    const all = chainRows(30);
    const { summary, bytes } = await archiveOf(all.slice(10, 20), head(all, 9));
    expect(summary).toMatchObject({ name: "audit-00000000000000000011-00000000000000000020.jsonl.gz", firstSeq: 11, lastSeq: 20, before: head(all, 9), after: head(all, 19) });
    expect((await verifyArchive(readable(bytes), { publicKey: signer.publicKey, auditKey })).ok).toBe(true);
  });

  it("names archives so they sort by seq", () => {
    const names = [archiveName(1001, 2000), archiveName(1, 1000), archiveName(99_999_001, 100_000_000)];
    expect([...names].sort()).toEqual([archiveName(1, 1000), archiveName(1001, 2000), archiveName(99_999_001, 100_000_000)]);
    expect(archiveName(7, 9)).toBe("audit-00000000000000000007-00000000000000000009.jsonl.gz");
    expect(parseArchiveName(archiveName(7, 9))).toEqual({ firstSeq: 7, lastSeq: 9 });
    expect(parseArchiveName("audit-1-2.jsonl.gz")).toBeUndefined();
    expect(parseArchiveName(archiveName(9, 7))).toBeUndefined();
  });

  it("produces no archive for an empty partition", () => {
    expect(writeArchive(input([], { before: { seq: 40, hash: "a".repeat(64) }, lastSeq: 40 }))).toBeUndefined();
  });

  it("refuses bad arguments by name", () => {
    const rows = chainRows(3);
    const field = (over: Partial<WriteArchiveInput>) => {
      try {
        writeArchive(input(rows, over));
      } catch (e) {
        expect(e).toBeInstanceOf(KeywardError);
        return (e as KeywardError).field;
      }
      return "no error";
    };
    expect(field({ partition: "bad\nname" })).toBe("partition");
    expect(field({ from: new Date("nope") })).toBe("from");
    expect(field({ to: new Date("2025-12-31T00:00:00Z") })).toBe("to");
    expect(field({ before: { seq: -1, hash: GENESIS_HASH } })).toBe("before.seq");
    expect(field({ before: { seq: 0, hash: "XYZ" } })).toBe("before.hash");
    expect(field({ lastSeq: -3 })).toBe("lastSeq");
  });

  it("refuses an edited row, naming its seq", async () => {
    const rows = chainRows(20);
    rows[6] = { ...rows[6]!, result: "ok-edited" };
    const error = await failedWrite(input(rows));
    expect(error.firstBadSeq).toBe(7);
    expect(error.message).toContain("seq 7");
    expect(error.problem).toBe("row hash does not match its contents");
  });

  it("refuses a gap, a reordering and a wrong starting point", async () => {
    const rows = chainRows(20);
    expect((await failedWrite(input([...rows.slice(0, 4), ...rows.slice(5)]))).firstBadSeq).toBe(6);
    expect((await failedWrite(input([rows[1]!, rows[0]!, ...rows.slice(2)]))).firstBadSeq).toBe(2);
    expect((await failedWrite(input(rows.slice(5), { before: head(rows, 3) }))).firstBadSeq).toBe(6);
    expect((await failedWrite(input(rows.slice(5), { before: { seq: 5, hash: "b".repeat(64) } }))).problem).toContain("prev_hash");
  });

  it("refuses rows under another audit key", async () => {
    const rows = chainRows(5, { key: Buffer.alloc(32, 7) });
    expect((await failedWrite(input(rows))).firstBadSeq).toBe(1);
  });

  it("refuses rows that stop short of lastSeq or run past it", async () => {
    const rows = chainRows(10);
    const short = await failedWrite(input(rows.slice(0, 8), { lastSeq: 10 }));
    expect(short.firstBadSeq).toBe(9);
    expect(short.message).toContain("ended at seq 8");
    expect((await failedWrite(input(rows, { lastSeq: 9 }))).firstBadSeq).toBe(10);
  });

  it("refuses a row it cannot serialize", async () => {
    const rows = chainRows(3);
    rows[1] = { ...rows[1]!, at: new Date("invalid") };
    expect((await failedWrite(input(rows))).firstBadSeq).toBe(2);
  });

  it("passes a failing row source's own error on (a lost database connection)", async () => {
    const rows = chainRows(10);
    async function* dropping(): AsyncGenerator<AuditRow> {
      yield* rows.slice(0, 4);
      throw new Error("Connection terminated unexpectedly");
    }
    const write = writeArchive(input([], { rows: dropping(), lastSeq: 10 }))!;
    await expect(collect(write.body)).rejects.toThrow("Connection terminated unexpectedly");
    await expect(write.summary).rejects.toThrow("Connection terminated unexpectedly");
  });

  it("reads rows only as fast as the archive is consumed (streaming, not buffering)", async () => {
    const total = 200_000;
    let pulled = 0;
    const rows = chainRows(2000);
    async function* lazy(): AsyncGenerator<AuditRow> {
      // The same 2000 rows would not chain past 2000; the writer must stop pulling long before that matters.
      for (let i = 0; i < total; i++) {
        pulled++;
        yield rows[i % rows.length]!;
      }
    }
    const write = writeArchive(input([], { rows: lazy(), lastSeq: total }))!;
    const iterator = write.body[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((r) => setTimeout(r, 50));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(2000);
    write.body.destroy();
    await write.summary.catch(() => undefined);
  });
});
