import { afterAll, describe, expect, it } from "vitest";
import { getJob } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { createScheduler, nextRunAfter } from "../src/index.js";
import { movableClock } from "./helpers.js";

const freshPglite = createPgliteTemplate();

describe("scheduler on PGlite (one process)", () => {
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const d of open) await d.close();
  });

  it("runs a due job once, persists last run, next run and last error, and runs it again only when due", async () => {
    const database = await freshPglite();
    open.push(database);
    const clock = movableClock();
    let runs = 0;
    let fail = false;
    const scheduler = createScheduler({
      db: database.db,
      clock,
      jobs: [
        {
          name: "count",
          schedule: { everyMs: 60_000 },
          async run() {
            runs++;
            if (fail) throw new Error("receiver unreachable");
          },
        },
      ],
    });
    expect(await scheduler.tick()).toEqual(["count"]);
    expect(await scheduler.tick()).toEqual([]); // not due again yet
    let job = (await getJob(database.db, "count"))!;
    expect(job).toMatchObject({ schedule: "every 60000ms", last_status: "ok", last_error: null, run_count: 1, lease_owner: null, leased_until: null });
    expect(job.next_run_at.toISOString()).toBe("2026-03-01T00:01:00.000Z");

    clock.advance(60_000);
    fail = true;
    expect(await scheduler.tick()).toEqual(["count"]);
    job = (await getJob(database.db, "count"))!;
    expect(job).toMatchObject({ last_status: "error", last_error: "receiver unreachable", run_count: 2 });
    expect(runs).toBe(2);

    // A new scheduler (a restart) continues from the stored state instead of running at once.
    const restarted = createScheduler({ db: database.db, clock, jobs: [{ name: "count", schedule: { everyMs: 60_000 }, run: async () => void runs++ }] });
    expect(await restarted.tick()).toEqual([]);
    expect(runs).toBe(2);
  });

  it("computes daily UTC times and refuses a malformed schedule by name", () => {
    expect(nextRunAfter({ dailyAtUtc: "06:30" }, new Date("2026-03-01T05:00:00Z")).toISOString()).toBe("2026-03-01T06:30:00.000Z");
    expect(nextRunAfter({ dailyAtUtc: "06:30" }, new Date("2026-03-01T06:30:00Z")).toISOString()).toBe("2026-03-02T06:30:00.000Z");
    expect(nextRunAfter({ dailyAtUtc: "00:00" }, new Date("2026-12-31T23:59:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(() => createScheduler({ db: undefined as never, jobs: [{ name: "rot", schedule: { dailyAtUtc: "6:30" }, run: async () => {} }] })).toThrow(/job "rot": dailyAtUtc must be "HH:MM"/);
    expect(() => createScheduler({ db: undefined as never, jobs: [{ name: "x", schedule: { everyMs: 0 }, run: async () => {} }] })).toThrow(/job "x": everyMs/);
  });
});
