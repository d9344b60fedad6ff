import fs from "node:fs";
import { auditArchiveSink, type ServiceConfig } from "@keyward/common";
import type { DatabaseFacts, DoctorCheck } from "../types.js";

const DAY_MS = 86_400_000;
const NAME = "audit retention";

/**
 * Whether the audit-retention job keeps up: partitions made ahead, none left past the hot window,
 * and a directory sink that can be written. An S3 sink is not contacted here.
 */
export function checkAuditRetention(config: ServiceConfig, facts: DatabaseFacts | undefined, now = new Date()): DoctorCheck {
  const { hotDays } = config.auditRetention;
  const sink = auditArchiveSink(config);
  if (!facts || facts.empty || !facts.auditPartitions) return { name: NAME, status: "skipped", summary: "no partitioned audit log yet; start creates it" };
  const parts = facts.auditPartitions;
  if (/^s3:\/\//i.test(sink) === false && fs.existsSync(sink)) {
    if (!fs.statSync(sink).isDirectory()) return { name: NAME, status: "fail", summary: `the archive sink ${sink} is a file, not a directory`, fix: "set KEYWARD_AUDIT_ARCHIVE_SINK to a directory (or s3://bucket/prefix)" };
    try {
      fs.accessSync(sink, fs.constants.W_OK);
    } catch {
      return { name: NAME, status: "fail", summary: `the archive directory ${sink} cannot be written`, fix: "give the service's user write access to it, or set KEYWARD_AUDIT_ARCHIVE_SINK elsewhere" };
    }
  }
  if (parts.newestEnd.getTime() <= now.getTime()) {
    return { name: NAME, status: "warn", summary: `audit_log has no partition past ${parts.newestEnd.toISOString()}: each append now makes its own`, fix: "start the service (its audit-retention job makes partitions ahead), or run keyward-service audit archive" };
  }
  const overdue = hotDays === 0 ? [] : parts.hot.filter((p) => p.endsAt.getTime() <= now.getTime() - hotDays * DAY_MS - DAY_MS);
  if (overdue.length > 0) {
    return {
      name: NAME,
      status: "warn",
      summary: `${overdue.length} partition(s) older than ${hotDays} days are not archived yet (oldest: ${overdue[0]!.name})`,
      fix: "run keyward-service audit archive to see why, and check the service log for \"audit partition not archived\"",
    };
  }
  const kept = hotDays === 0 ? "every row kept (KEYWARD_AUDIT_HOT_DAYS=0)" : `${hotDays} days hot, then archived to ${sink}`;
  return { name: NAME, status: "ok", summary: `${kept}; ${parts.hot.length} hot partition(s), ${parts.archived} archived` };
}
