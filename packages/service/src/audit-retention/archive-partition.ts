import type { Clock, SigningKeys } from "@keyward/common";
import { auditPartitionBounds, dropArchivedAuditPartition, readAuditPartitionRows, type AuditPartition, type Database } from "@keyward/db";
import { archiveName, verifyArchive, writeArchive, type ArchiveSink, type ArchiveSummary } from "@keyward/audit-archive";
import type { Kysely } from "kysely";

export type PartitionOutcome =
  | { outcome: "archived"; partition: string; archive: string; rows: number; firstSeq: number; lastSeq: number; reused: boolean }
  | { outcome: "dropped_empty"; partition: string }
  | { outcome: "skipped"; partition: string; why: string };

export interface ArchivePartitionDeps {
  db: Kysely<Database>;
  auditKey: Uint8Array;
  signer: SigningKeys;
  sink: ArchiveSink;
  clock: Clock;
  actor: { type: string; id: string };
  /** Called once the archive is safely in the sink, before the drop (tests crash here). */
  beforeDrop?: (archive: string) => Promise<void>;
}

type Bounds = NonNullable<Awaited<ReturnType<typeof auditPartitionBounds>>>;

/** Reads an archive back from the sink; its summary when it verifies and holds exactly the partition's rows. */
async function heldArchive(deps: ArchivePartitionDeps, name: string, bounds: Bounds): Promise<{ ok: true; summary: ArchiveSummary } | { ok: false; why: string }> {
  const check = await verifyArchive(await deps.sink.get(name), { publicKey: deps.signer.publicKey, auditKey: deps.auditKey, name });
  if (!check.ok) return { ok: false, why: `${name} in ${deps.sink.description} does not verify (${check.message})` };
  const s = check.summary;
  if (s.rows !== bounds.rows || s.firstSeq !== bounds.first.seq || s.lastSeq !== bounds.last.seq || s.after.hash !== bounds.last.hash || s.before.hash !== bounds.first.prevHash) {
    return { ok: false, why: `${name} in ${deps.sink.description} does not hold the partition's rows` };
  }
  return { ok: true, summary: s };
}

/**
 * Archives one partition, then drops it. The order makes a crash at any point safe: the archive is
 * stored whole (the sink publishes all or nothing), read back and verified against the rows, and
 * only then is the partition dropped, in one transaction with its registry entry and audit row. A
 * crash before the drop leaves the partition, and perhaps a complete archive that the next run
 * verifies and reuses; never neither.
 */
export async function archiveAuditPartition(deps: ArchivePartitionDeps, partition: AuditPartition): Promise<PartitionOutcome> {
  const { db, sink } = deps;
  const bounds = await auditPartitionBounds(db, partition.name);
  const drop = (archive: { name: string | null; firstSeq: number | null; lastSeq: number | null; rows: number; beforeHash: string | null; afterHash: string | null }) =>
    dropArchivedAuditPartition(db, deps.auditKey, {
      archive: { name: partition.name, archiveName: archive.name, sink: archive.name ? sink.description : null, rows: archive.rows, firstSeq: archive.firstSeq, lastSeq: archive.lastSeq, beforeHash: archive.beforeHash, afterHash: archive.afterHash },
      at: deps.clock.now(),
      actorType: deps.actor.type,
      actor: deps.actor.id,
    });
  const notDropped = (reason: "not_hot" | "changed"): PartitionOutcome => ({
    outcome: "skipped",
    partition: partition.name,
    why: reason === "changed" ? "rows were added to it meanwhile; the next run archives it again" : "it is no longer hot",
  });
  if (!bounds) {
    const dropped = await drop({ name: null, firstSeq: null, lastSeq: null, rows: 0, beforeHash: null, afterHash: null });
    return dropped.dropped ? { outcome: "dropped_empty", partition: partition.name } : notDropped(dropped.reason);
  }
  const name = archiveName(bounds.first.seq, bounds.last.seq);
  // A run that stopped after storing the archive left it whole: verify it and go on to the drop.
  const reused = await sink.exists(name);
  if (!reused) {
    const written = writeArchive({
      partition: partition.name,
      from: partition.starts_at ? new Date(partition.starts_at) : new Date(0),
      to: new Date(partition.ends_at),
      before: { seq: bounds.first.seq - 1, hash: bounds.first.prevHash },
      lastSeq: bounds.last.seq,
      rows: readAuditPartitionRows(db, partition.name),
      signer: deps.signer,
      auditKey: deps.auditKey,
      at: deps.clock.now(),
    })!;
    // The sink consumes the body; a broken chain fails both (and stores nothing). A failed put stops
    // the rows' cursor too.
    try {
      await Promise.all([sink.put(written.name, written.body), written.summary]);
    } catch (error) {
      written.body.destroy();
      throw error;
    }
  }
  const held = await heldArchive(deps, name, bounds);
  if (!held.ok) return { outcome: "skipped", partition: partition.name, why: held.why };
  await deps.beforeDrop?.(name);
  const s = held.summary;
  const dropped = await drop({ name, firstSeq: s.firstSeq, lastSeq: s.lastSeq, rows: s.rows, beforeHash: s.before.hash, afterHash: s.after.hash });
  if (!dropped.dropped) return notDropped(dropped.reason);
  return { outcome: "archived", partition: partition.name, archive: name, rows: s.rows, firstSeq: s.firstSeq, lastSeq: s.lastSeq, reused };
}
