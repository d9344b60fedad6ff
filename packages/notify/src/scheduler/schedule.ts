/** When a job runs: every N milliseconds, or once a day at a UTC time. */
export type Schedule = { everyMs: number } | { dailyAtUtc: string };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Checks a schedule once, at definition, so a typo is named at start rather than never running. */
export function validateSchedule(name: string, schedule: Schedule): void {
  if ("everyMs" in schedule) {
    if (!Number.isInteger(schedule.everyMs) || schedule.everyMs < 1) throw new Error(`job "${name}": everyMs must be a positive integer, got ${schedule.everyMs}`);
  } else if (!HHMM.test(schedule.dailyAtUtc)) {
    throw new Error(`job "${name}": dailyAtUtc must be "HH:MM" (UTC, 24 h), got "${schedule.dailyAtUtc}"`);
  }
}

export function describeSchedule(schedule: Schedule): string {
  return "everyMs" in schedule ? `every ${schedule.everyMs}ms` : `daily ${schedule.dailyAtUtc} UTC`;
}

/** The first run after `after` (strictly later), so a run that finishes at its due time is not repeated. */
export function nextRunAfter(schedule: Schedule, after: Date): Date {
  if ("everyMs" in schedule) return new Date(after.getTime() + schedule.everyMs);
  const [, hh, mm] = HHMM.exec(schedule.dailyAtUtc)!;
  const next = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), Number(hh), Number(mm)));
  if (next.getTime() <= after.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** When a job seen for the first time first runs: at once for an interval, at the next daily time otherwise. */
export function firstRun(schedule: Schedule, now: Date): Date {
  return "everyMs" in schedule ? now : nextRunAfter(schedule, new Date(now.getTime() - 1));
}
