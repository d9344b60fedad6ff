import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "@keyward/db";
import { verifyArchiveSet, type ArchiveSummary } from "../src/index.js";
import { archiveOf, chainRows, head } from "./helpers.js";

const rows = chainRows(60);
// Three archives of 20 rows each: 1–20, 21–40, 41–60, written by the real writer.
const archives: ArchiveSummary[] = [];
for (let i = 0; i < 3; i++) archives.push((await archiveOf(rows.slice(i * 20, i * 20 + 20), head(rows, i * 20 - 1))).summary);
const [a, b, c] = archives as [ArchiveSummary, ArchiveSummary, ArchiveSummary];
const more = chainRows(80).slice(60); // rows 61–80 continue the same chain (same key, same start)

describe("verifyArchiveSet", () => {
  it("accepts a linked set in any order, and the database's oldest row linked to it", () => {
    expect(verifyArchiveSet([c, a, b], { fromGenesis: true, hotHead: { seq: 61, prevHash: rows[59]!.hash } })).toEqual({ ok: true, archives: 3, firstSeq: 1, lastSeq: 60, hot: "linked" });
    expect(more[0]!.prev_hash).toBe(rows[59]!.hash);
    expect(verifyArchiveSet([])).toEqual({ ok: true, archives: 0, hot: "not_checked" });
    expect(verifyArchiveSet([], { hotHead: { seq: 1, prevHash: GENESIS_HASH } })).toMatchObject({ ok: true, hot: "linked" });
  });

  it("names a missing middle archive and the rows no archive holds", () => {
    const r = verifyArchiveSet([a, c]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { kind: "missing", from: 21, to: 40, between: [a.name, c.name], message: `rows 21–40 are in no archive: an archive between ${a.name} and ${c.name} is missing` },
    ]);
  });

  it("names a replaced archive that does not link to its neighbours", () => {
    const replaced = { ...b, after: { seq: 40, hash: "f".repeat(64) } };
    const r = verifyArchiveSet([a, replaced, c]);
    expect(r).toMatchObject({ ok: false, problems: [{ kind: "mislinked", seq: 40, between: [b.name, c.name] }] });
    if (!r.ok) expect(r.problems[0]!.message).toContain("altered or replaced");
  });

  it("names overlapping archives and a summary that contradicts itself", () => {
    const overlapping = { ...b, name: "x", firstSeq: 15, before: { seq: 14, hash: rows[13]!.hash } };
    expect(verifyArchiveSet([a, overlapping])).toMatchObject({ ok: false, problems: [{ kind: "overlap", from: 15, to: 20 }] });
    expect(verifyArchiveSet([{ ...a, lastSeq: 25 }])).toMatchObject({ ok: false, problems: [{ kind: "inconsistent", archive: a.name }] });
  });

  it("with fromGenesis, names archives missing before the oldest one", () => {
    expect(verifyArchiveSet([b, c], { fromGenesis: true })).toMatchObject({ ok: false, problems: [{ kind: "missing", from: 1, to: 20 }] });
    expect(verifyArchiveSet([b, c]).ok).toBe(true);
  });

  it("checks the database's oldest row against the newest archive", () => {
    const gap = verifyArchiveSet([a, b], { hotHead: { seq: 45, prevHash: rows[43]!.hash } });
    expect(gap).toMatchObject({ ok: false, problems: [{ kind: "missing", from: 41, to: 44, between: [b.name, null] }] });
    if (!gap.ok) expect(gap.problems[0]!.message).toBe(`rows 41–44 are neither in an archive nor in the database: an archive after ${b.name} is missing`);
    expect(verifyArchiveSet([a, b], { hotHead: { seq: 41, prevHash: "e".repeat(64) } })).toMatchObject({ ok: false, problems: [{ kind: "mislinked", seq: 40 }] });
    // Archived, not dropped yet: the database still holds rows 41–60 that c also holds.
    expect(verifyArchiveSet([a, b, c], { hotHead: { seq: 41, prevHash: rows[39]!.hash } })).toMatchObject({ ok: true, hot: "overlaps" });
    expect(verifyArchiveSet([a, b, c], { hotHead: { seq: 41, prevHash: "e".repeat(64) } })).toMatchObject({ ok: false, problems: [{ kind: "mislinked", seq: 40 }] });
  });

  it("reports every problem, not only the first", () => {
    const r = verifyArchiveSet([a, c], { hotHead: { seq: 70, prevHash: more[8]!.prev_hash } });
    expect(r.ok ? [] : r.problems.map((p) => p.kind)).toEqual(["missing", "missing"]);
  });
});
