import type { ArchiveSink } from "./sinks/types.js";
import { verifyArchive, type ArchiveVerification } from "./verify.js";
import { verifyArchiveSet, type ArchiveSetCheck, type VerifyArchiveSetOptions } from "./verify-set.js";
import type { ArchiveSummary } from "./format.js";

export interface SinkVerification {
  /** True when every archive verifies and the set links (and, with hotHead, the database links to it). */
  ok: boolean;
  /** Each archive's own result, by name, in seq order. */
  archives: { name: string; result: ArchiveVerification }[];
  /** The set check over the archives that verified on their own. */
  set: ArchiveSetCheck;
}

/**
 * Verifies every archive in a sink, one at a time (each streamed, so memory stays flat), then the
 * set: what `keyward-service audit verify-archive` and a periodic check of the cold store run.
 */
export async function verifySinkArchives(sink: ArchiveSink, options: { publicKey: string; auditKey?: Uint8Array } & VerifyArchiveSetOptions): Promise<SinkVerification> {
  const archives: SinkVerification["archives"] = [];
  const good: ArchiveSummary[] = [];
  for (const name of await sink.list()) {
    const result = await verifyArchive(await sink.get(name), { publicKey: options.publicKey, name, ...(options.auditKey ? { auditKey: options.auditKey } : {}) });
    archives.push({ name, result });
    if (result.ok) good.push(result.summary);
  }
  const set = verifyArchiveSet(good, { ...(options.hotHead ? { hotHead: options.hotHead } : {}), ...(options.fromGenesis ? { fromGenesis: true } : {}) });
  return { ok: set.ok && archives.every((a) => a.result.ok), archives, set };
}
