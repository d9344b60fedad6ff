import type { Kysely } from "kysely";
import {
  consoleLinks,
  listEnvironments,
  markNotified,
  recordEvent,
  selectSecretsWithRotation,
  subjectsOutOfCooldown,
  type Database,
} from "@keyward/db";
import type { JobDefinition } from "../scheduler/scheduler.js";
import { reminderStateOf } from "./certificate-expiry.js";

export interface RotationReminderOptions {
  db: Kysely<Database>;
  /** When the check runs each day, "HH:MM" UTC. Default "06:00". */
  dailyAtUtc?: string;
  /** A secret reminded as due (or overdue) is not named again as such within this time. Default 7 days. */
  cooldownMs?: number;
}

export const ROTATION_REMINDER_JOB = "rotation-reminders";
const DAY_MS = 86_400_000;

/**
 * The daily rotation check: per environment, one digest event for the secrets whose rotation is
 * due soon (the reminder window) and one for those overdue, leaving out those already named in that
 * kind within the cooldown. A certificate whose stored notAfter falls within the reminder window
 * (or has passed) counts as due (or overdue) too. Events and cooldown marks commit together, so a run repeated after a
 * crash adds nothing that was already recorded. Time is the scheduler's (movable) clock.
 */
export function rotationReminderJob(options: RotationReminderOptions): JobDefinition {
  const cooldownMs = options.cooldownMs ?? 7 * DAY_MS;
  return {
    name: ROTATION_REMINDER_JOB,
    schedule: { dailyAtUtc: options.dailyAtUtc ?? "06:00" },
    async run({ now }) {
      await options.db.transaction().execute(async (trx) => {
        for (const env of await listEnvironments(trx)) {
          const rows = await selectSecretsWithRotation(trx, env.id).where("secrets.status", "=", "active").orderBy("secrets.name").execute();
          for (const [state, type] of [["due_soon", "rotation.due"], ["overdue", "rotation.overdue"]] as const) {
            // A certificate nearing its notAfter is due as well (issue #17).
            const matching = rows.filter((r) => reminderStateOf(r, now).state === state);
            const fresh = new Set(await subjectsOutOfCooldown(trx, type, matching.map((r) => `${env.name}/${r.name}`), new Date(now.getTime() - cooldownMs)));
            const named = matching.filter((r) => fresh.has(`${env.name}/${r.name}`));
            if (named.length === 0) continue;
            const days = named.map((r) => reminderStateOf(r, now).daysLeft!);
            await recordEvent(trx, {
              type,
              environment: env.name,
              subject: named.length === 1 ? named[0]!.name : `${named.length} secrets`,
              link: consoleLinks.secrets({ rotation: state, environment: env.name }),
              data: { count: named.length, secrets: named.map((r) => r.name), daysLeft: days.map(String) },
            });
            await markNotified(trx, type, [...fresh], now);
          }
        }
      });
    },
  };
}
