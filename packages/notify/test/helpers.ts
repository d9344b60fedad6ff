import { sql, type Kysely } from "kysely";
import type { Clock } from "@keyward/common";

/** A clock the test moves by hand. */
export function movableClock(start = new Date("2026-03-01T00:00:00Z")): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (d) => void (now = d),
    advance: (ms) => void (now = new Date(now.getTime() + ms)),
  };
}

/** A table where test jobs record each run (not part of Keyward's schema). */
export async function createRunsTable(db: Kysely<any>): Promise<void> {
  await sql`create table job_runs (seq serial primary key, owner text not null, tick integer, at timestamptz not null default now())`.execute(db);
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
