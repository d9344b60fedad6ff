import { GENESIS_HASH } from "@keyward/db";
import type { ArchiveSummary } from "./format.js";

/** What verifyArchiveSet needs of each archive (an ArchiveSummary from verifyArchive or writeArchive). */
export type ArchiveLink = Pick<ArchiveSummary, "name" | "firstSeq" | "lastSeq" | "before" | "after">;

export type ArchiveSetProblem =
  /** Rows `from`–`to` are in no archive (between archives, or between the newest archive and the database). */
  | { kind: "missing"; from: number; to: number; message: string; between: [string | null, string | null] }
  /** Two neighbours meet at the same seq but not the same hash: one was altered or replaced. */
  | { kind: "mislinked"; seq: number; message: string; between: [string | null, string | null] }
  /** Two archives hold the same rows. */
  | { kind: "overlap"; from: number; to: number; message: string; between: [string, string] }
  /** A summary that contradicts itself (firstSeq, lastSeq, before, after). */
  | { kind: "inconsistent"; message: string; archive: string };

export type ArchiveSetCheck =
  | {
      ok: true;
      archives: number;
      /** The seq range the archives cover; undefined for no archives. */
      firstSeq?: number;
      lastSeq?: number;
      /** How the database's oldest row relates to the newest archive: linked, still overlapping it (archived, not yet dropped), or not checked. */
      hot: "linked" | "overlaps" | "not_checked";
    }
  | { ok: false; problems: ArchiveSetProblem[] };

export interface VerifyArchiveSetOptions {
  /** The oldest row still in the database (its seq and prev_hash), or `{ seq: lastSeq + 1, prevHash }` of an empty log. */
  hotHead?: { seq: number; prevHash: string };
  /** Require the oldest archive to start at seq 1 (nothing archived was deleted, e.g. by a bucket lifecycle rule). */
  fromGenesis?: boolean;
}

const range = (from: number, to: number) => (from === to ? `row ${from} is` : `rows ${from}–${to} are`);

/**
 * Checks that archives form one chain: sorted by seq, each one's `before` is the previous one's
 * `after`. Names the rows no archive holds and the archive pairs that do not link (an altered or
 * replaced archive), and with `hotHead` that the database's oldest row links to the newest archive.
 * The summaries should come from verifyArchive, which checks each archive's own contents and signature.
 */
export function verifyArchiveSet(summaries: readonly ArchiveLink[], options: VerifyArchiveSetOptions = {}): ArchiveSetCheck {
  const problems: ArchiveSetProblem[] = [];
  const sorted = [...summaries].sort((a, b) => a.firstSeq - b.firstSeq || a.lastSeq - b.lastSeq);
  for (const s of sorted) {
    if (s.firstSeq !== s.before.seq + 1 || s.lastSeq !== s.after.seq || s.lastSeq < s.firstSeq) {
      problems.push({ kind: "inconsistent", archive: s.name, message: `archive ${s.name} says rows ${s.firstSeq}–${s.lastSeq} but runs from seq ${s.before.seq} to ${s.after.seq}` });
    }
  }
  const first = sorted[0];
  if (first && options.fromGenesis) {
    if (first.before.seq > 0) {
      problems.push({ kind: "missing", from: 1, to: first.before.seq, between: [null, first.name], message: `${range(1, first.before.seq)} in no archive: an archive before ${first.name} is missing` });
    } else if (first.before.hash !== GENESIS_HASH) {
      problems.push({ kind: "mislinked", seq: 0, between: [null, first.name], message: `archive ${first.name} does not start at the genesis hash: it was altered or replaced` });
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.before.seq > prev.after.seq) {
      problems.push({ kind: "missing", from: prev.after.seq + 1, to: cur.before.seq, between: [prev.name, cur.name], message: `${range(prev.after.seq + 1, cur.before.seq)} in no archive: an archive between ${prev.name} and ${cur.name} is missing` });
    } else if (cur.before.seq < prev.after.seq) {
      problems.push({ kind: "overlap", from: cur.firstSeq, to: Math.min(prev.after.seq, cur.lastSeq), between: [prev.name, cur.name], message: `archives ${prev.name} and ${cur.name} both hold rows ${cur.firstSeq}–${Math.min(prev.after.seq, cur.lastSeq)}` });
    } else if (cur.before.hash !== prev.after.hash) {
      problems.push({ kind: "mislinked", seq: prev.after.seq, between: [prev.name, cur.name], message: `archive ${cur.name} does not link to ${prev.name}: the hash of row ${prev.after.seq} differs, so one of them was altered or replaced` });
    }
  }
  let hot: "linked" | "overlaps" | "not_checked" = "not_checked";
  const hotHead = options.hotHead;
  if (hotHead) {
    const last = sorted[sorted.length - 1];
    const tail = last ? last.after : { seq: 0, hash: GENESIS_HASH };
    const lastName = last ? last.name : null;
    if (hotHead.seq > tail.seq + 1) {
      problems.push({ kind: "missing", from: tail.seq + 1, to: hotHead.seq - 1, between: [lastName, null], message: `${range(tail.seq + 1, hotHead.seq - 1)} neither in an archive nor in the database: ${last ? `an archive after ${last.name}` : "the oldest archive"} is missing` });
    } else if (hotHead.seq === tail.seq + 1) {
      if (hotHead.prevHash !== tail.hash) problems.push({ kind: "mislinked", seq: tail.seq, between: [lastName, null], message: `the database's oldest row (seq ${hotHead.seq}) does not link to ${last ? `archive ${last.name}` : "the genesis"}: one of them was altered or replaced` });
      else hot = "linked";
    } else {
      // Archived but not dropped yet (the job stores and checks the archive before dropping the partition).
      const seq = hotHead.seq - 1;
      const known = seq === 0 ? { hash: GENESIS_HASH, name: "the genesis" } : sorted.flatMap((s) => [s.before.seq === seq ? { hash: s.before.hash, name: `archive ${s.name}` } : undefined, s.after.seq === seq ? { hash: s.after.hash, name: `archive ${s.name}` } : undefined]).find((k) => k !== undefined);
      if (known && known.hash !== hotHead.prevHash) {
        problems.push({ kind: "mislinked", seq, between: [lastName, null], message: `the database's oldest row (seq ${hotHead.seq}) does not link to row ${seq} as ${known.name} holds it: one of them was altered or replaced` });
      }
      hot = "overlaps";
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, archives: sorted.length, ...(first ? { firstSeq: first.firstSeq, lastSeq: sorted[sorted.length - 1]!.lastSeq } : {}), hot };
}
