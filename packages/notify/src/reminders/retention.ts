import type { Kysely } from "kysely";
import { pruneNotifications, type Database } from "@keyward/db";
import type { JobDefinition } from "../scheduler/scheduler.js";

export const NOTIFY_RETENTION_JOB = "notification-retention";
const DAY_MS = 86_400_000;

/**
 * Once a day, forgets finished deliveries and dispatched events older than `retentionDays`, and
 * cooldown marks older than the cooldown (they can no longer hold a reminder back). Idempotent.
 */
export function notificationRetentionJob(options: { db: Kysely<Database>; retentionDays: number; cooldownMs: number; dailyAtUtc?: string }): JobDefinition {
  return {
    name: NOTIFY_RETENTION_JOB,
    schedule: { dailyAtUtc: options.dailyAtUtc ?? "03:30" },
    async run({ now }) {
      await pruneNotifications(options.db, {
        before: new Date(now.getTime() - options.retentionDays * DAY_MS),
        cooldownsBefore: new Date(now.getTime() - Math.max(options.cooldownMs, DAY_MS)),
      });
    },
  };
}
