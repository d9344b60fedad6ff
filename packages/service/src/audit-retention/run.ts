import { expiredAuditPartitions, ensureAuditPartitions } from "@keyward/db";
import { archiveAuditPartition, type ArchivePartitionDeps, type PartitionOutcome } from "./archive-partition.js";

const DAY_MS = 86_400_000;

export interface RetentionSettings {
  /** Days kept in the database; 0 keeps every row. */
  hotDays: number;
  partitionDays: number;
}

export interface RetentionRun {
  /** Partitions created ahead of time. */
  created: number;
  outcomes: PartitionOutcome[];
}

/**
 * One retention pass: partitions exist for the next two periods, and every hot partition whose whole
 * range is older than the hot window is archived and dropped, oldest first. It stops at the first
 * partition it cannot archive, so archives stay contiguous (each links to the one before).
 */
export async function runAuditRetention(deps: ArchivePartitionDeps, settings: RetentionSettings, onProgress?: (outcome: PartitionOutcome, index: number, total: number) => void): Promise<RetentionRun> {
  const now = deps.clock.now();
  const created = await ensureAuditPartitions(deps.db, { until: new Date(now.getTime() + 2 * settings.partitionDays * DAY_MS), periodDays: settings.partitionDays });
  const outcomes: PartitionOutcome[] = [];
  if (settings.hotDays === 0) return { created, outcomes };
  const expired = await expiredAuditPartitions(deps.db, new Date(now.getTime() - settings.hotDays * DAY_MS));
  for (const [i, partition] of expired.entries()) {
    const outcome = await archiveAuditPartition(deps, partition);
    outcomes.push(outcome);
    onProgress?.(outcome, i + 1, expired.length);
    if (outcome.outcome === "skipped") break;
  }
  return { created, outcomes };
}
