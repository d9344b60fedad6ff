import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDirectorySink, verifySinkArchives, type ArchiveSink } from "../src/index.js";
import { archiveOf, auditKey, chainRows, head, linesOf, fromLines, signer } from "./helpers.js";

let dir: string;
let sink: ArchiveSink;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "keyward-verify-sink-"));
  sink = createDirectorySink({ dir });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const rows = chainRows(90);
const parts = await Promise.all([0, 1, 2].map((i) => archiveOf(rows.slice(i * 30, i * 30 + 30), head(rows, i * 30 - 1))));
const options = { publicKey: signer.publicKey, auditKey, fromGenesis: true, hotHead: { seq: 91, prevHash: rows[89]!.hash } };

describe("verifySinkArchives", () => {
  it("verifies every archive and the set, linked to the database", async () => {
    for (const p of parts) await sink.put(p.summary.name, Readable.from([p.bytes]));
    const r = await verifySinkArchives(sink, options);
    expect(r.ok).toBe(true);
    expect(r.archives.map((a) => a.name)).toEqual(parts.map((p) => p.summary.name));
    expect(r.set).toEqual({ ok: true, archives: 3, firstSeq: 1, lastSeq: 90, hot: "linked" });
  });

  it("names an altered archive and the gap it leaves in the set", async () => {
    const [a, b, c] = parts as [(typeof parts)[0], (typeof parts)[0], (typeof parts)[0]];
    const lines = linesOf(b.bytes);
    lines[3] = lines[3]!.replace('"secret.read"', '"secret.list"');
    await sink.put(a.summary.name, Readable.from([a.bytes]));
    await sink.put(b.summary.name, Readable.from([fromLines(lines)]));
    await sink.put(c.summary.name, Readable.from([c.bytes]));
    const r = await verifySinkArchives(sink, options);
    expect(r.ok).toBe(false);
    expect(r.archives[1]).toMatchObject({ name: b.summary.name, result: { ok: false, failure: "sha256_mismatch", firstBadSeq: 33 } });
    expect(r.set).toMatchObject({ ok: false, problems: [{ kind: "missing", from: 31, to: 60 }] });
  });
});
