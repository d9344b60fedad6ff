import fs from "node:fs";
import path from "node:path";
import { formatTable, type CommandIo } from "@keyward/common";
import { countHotPartitionRows, listAuditPartitions, type Database } from "@keyward/db";
import { verifyArchive, verifyArchiveSet, type ArchiveSummary } from "@keyward/audit-archive";
import type { Kysely } from "kysely";
import { loadExistingAuditKey } from "../audit-key.js";
import { runAuditRetention, type ArchivePartitionDeps, type RetentionSettings } from "../audit-retention/index.js";

/** The audit key when it is at hand (then archives' row HMACs are checked too), else undefined. */
export function optionalAuditKey(env: NodeJS.ProcessEnv, dataDir: string): Uint8Array | undefined {
  try {
    return loadExistingAuditKey(env, dataDir);
  } catch {
    return undefined;
  }
}

/** `audit archive`: one retention pass now, a line of progress per partition on stderr. */
export async function archiveNow(io: CommandIo, deps: ArchivePartitionDeps, settings: RetentionSettings, json: boolean): Promise<number> {
  if (settings.hotDays === 0) io.stderr.write("KEYWARD_AUDIT_HOT_DAYS is 0: every row stays in the database; nothing to archive.\n");
  const run = await runAuditRetention(deps, settings, (o, i, total) => io.stderr.write(`[${i}/${total}] ${o.partition}: ${o.outcome === "skipped" ? `not archived: ${o.why}` : o.outcome === "archived" ? `${o.rows} row(s) → ${o.archive}` : "empty, dropped"}\n`));
  if (json) io.stdout.write(JSON.stringify({ sink: deps.sink.description, created: run.created, partitions: run.outcomes }, null, 2) + "\n");
  else if (run.outcomes.length === 0) io.stdout.write(`No partition is older than ${settings.hotDays} day(s); nothing archived.\n`);
  else io.stdout.write(`${run.outcomes.filter((o) => o.outcome !== "skipped").length} of ${run.outcomes.length} partition(s) archived to ${deps.sink.description}.\n`);
  return run.outcomes.some((o) => o.outcome === "skipped") ? 1 : 0;
}

const iso = (d: Date | string | null) => (d === null ? "" : new Date(d).toISOString().slice(0, 16).replace("T", " "));

/** `audit partitions`: a table on a terminal (or anywhere without --json), JSON with --json. */
export async function listPartitions(io: CommandIo, db: Kysely<Database>, json: boolean): Promise<number> {
  // row_count is recorded when a partition is archived; a hot one is counted now.
  const partitions = await Promise.all((await listAuditPartitions(db)).map(async (p) => (p.state === "hot" && p.row_count === null ? { ...p, row_count: await countHotPartitionRows(db, p.name) } : p)));
  if (json) {
    io.stdout.write(JSON.stringify(partitions, null, 2) + "\n");
    return 0;
  }
  const rows = partitions.map((p) => [p.name, p.state, p.starts_at === null ? "(start)" : iso(p.starts_at), iso(p.ends_at), p.row_count === null ? "" : String(p.row_count), p.archive_name ? `${p.archive_name} in ${p.archive_sink}` : ""]);
  io.stdout.write(formatTable(["PARTITION", "STATE", "FROM", "TO", "ROWS", "ARCHIVE"], rows) + "\n");
  return 0;
}

/** `audit verify-archive FILE...`: each archive on its own, then (given several) that they link up. */
export async function verifyArchiveFiles(io: CommandIo, files: string[], keys: { publicKey: string; auditKey: Uint8Array | undefined }): Promise<number> {
  const summaries: ArchiveSummary[] = [];
  let failed = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      io.stdout.write(`MISSING: ${file} does not exist\n`);
      failed++;
      continue;
    }
    const check = await verifyArchive(fs.createReadStream(file), { publicKey: keys.publicKey, auditKey: keys.auditKey, name: path.basename(file) });
    if (check.ok) {
      summaries.push(check.summary);
      io.stdout.write(`OK: ${file}: ${check.summary.rows} row(s), seq ${check.summary.firstSeq}–${check.summary.lastSeq}, signed ${check.summary.checkpoint.time}${check.hmacChecked ? "" : " (row HMACs not checked: no audit key)"}\n`);
    } else {
      io.stdout.write(`TAMPERED: ${file}: ${check.message}\n`);
      failed++;
    }
  }
  if (summaries.length > 1) {
    const set = verifyArchiveSet(summaries);
    if (!set.ok) {
      for (const problem of set.problems) io.stdout.write(`GAP: ${problem.message}\n`);
      failed++;
    } else io.stdout.write(`OK: the ${summaries.length} archives link up, seq ${set.firstSeq}–${set.lastSeq}.\n`);
  }
  return failed > 0 ? 1 : 0;
}
