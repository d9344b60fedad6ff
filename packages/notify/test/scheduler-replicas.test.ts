import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { connectPostgres, getJob, type KeywardDatabase } from "@keyward/db";
import { createPostgresTestDatabases } from "@keyward/db/testing";
import { createScheduler } from "../src/index.js";
import { createRunsTable, movableClock, until } from "./helpers.js";

// Two replicas on a real PostgreSQL: exactly one runs each due job, and when the leader's process
// is SIGKILLed mid-run the other takes the job over once the dead leader's lease has expired.

const databases = createPostgresTestDatabases({ prefix: "kw_notify_sched" });
const open: KeywardDatabase[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of open) await d.close();
  await databases.dropAll();
});

async function twoReplicas() {
  const url = await databases.freshUrl();
  const a = connectPostgres(url, { max: 3 });
  const b = connectPostgres(url, { max: 3 });
  open.push(a, b);
  await createRunsTable(a.db);
  return { url, a, b };
}

describe("scheduler across replicas (PostgreSQL)", () => {
  it("runs each tick's job on exactly one of two replicas that poll at the same moment", async () => {
    const { a, b } = await twoReplicas();
    const clock = movableClock();
    let tick = 0;
    const replica = (name: string, database: KeywardDatabase) =>
      createScheduler({
        db: database.db,
        clock,
        owner: name,
        jobs: [{ name: "digest", schedule: { everyMs: 60_000 }, run: async () => void (await database.db.insertInto("job_runs" as never).values({ owner: name, tick } as never).execute()) }],
      });
    const ra = replica("a", a);
    const rb = replica("b", b);
    for (tick = 1; tick <= 8; tick++) {
      const [ranA, ranB] = await Promise.all([ra.tick(), rb.tick()]);
      expect(ranA.length + ranB.length).toBe(1);
      clock.advance(60_000);
    }
    const runs = await sql<{ tick: number; n: number }>`select tick, count(*)::int as n from job_runs group by tick order by tick`.execute(a.db);
    expect(runs.rows).toEqual(Array.from({ length: 8 }, (_, i) => ({ tick: i + 1, n: 1 })));
    expect((await getJob(a.db, "digest"))!.run_count).toBe(8);
  });

  it("fences a leader whose lease expired: its late result is not recorded, the taker's is", async () => {
    const { a, b } = await twoReplicas();
    const clock = movableClock();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const ra = createScheduler({ db: a.db, clock, owner: "a", leaseMs: 60_000, jobs: [{ name: "j", schedule: { everyMs: 60_000 }, run: async () => (started(), slow) }] });
    const rb = createScheduler({ db: b.db, clock, owner: "b", leaseMs: 60_000, jobs: [{ name: "j", schedule: { everyMs: 60_000 }, run: async () => {} }] });
    const aTick = ra.tick();
    await startedP;
    expect(await rb.tick()).toEqual([]); // a holds the lease
    await sql`update jobs set leased_until = now() - interval '1 second'`.execute(a.db); // a stalls past its lease
    expect(await rb.tick()).toEqual(["j"]);
    release();
    await aTick;
    const job = (await getJob(a.db, "j"))!;
    expect(job.run_count).toBe(1);
    expect(job.lease_owner).toBeNull();
  });

  it("takes over a job whose leader was SIGKILLed mid-run, after the dead leader's lease ends", { timeout: 120_000 }, async () => {
    const { url, b } = await twoReplicas();
    const leaseMs = 1_500;
    const child = spawn(process.execPath, [fileURLToPath(new URL("./fixtures/leader.mjs", import.meta.url)), url, String(leaseMs)], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("started") && resolve());
      child.on("exit", (code) => reject(new Error(`leader exited early (${code})`)));
    });
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    const held = (await getJob(b.db, "work"))!;
    expect(held.lease_owner).toBe("child");

    let takenAt: Date | undefined;
    const survivor = createScheduler({
      db: b.db,
      owner: "survivor",
      leaseMs,
      jobs: [
        {
          name: "work",
          schedule: { everyMs: 3_600_000 },
          run: async () => {
            takenAt = (await sql<{ now: Date }>`select now() as now`.execute(b.db)).rows[0]!.now;
            await b.db.insertInto("job_runs" as never).values({ owner: "survivor" } as never).execute();
          },
        },
      ],
    });
    await until(async () => (await survivor.tick()).includes("work"), "the survivor never took the job over");
    // Not before the dead leader's last lease ended (database time), and the run is recorded once.
    expect(takenAt!.getTime()).toBeGreaterThanOrEqual(held.leased_until!.getTime());
    const owners = await sql<{ owner: string }>`select owner from job_runs order by seq`.execute(b.db);
    expect(owners.rows.map((r) => r.owner)).toEqual(["child", "survivor"]);
    expect(await getJob(b.db, "work")).toMatchObject({ run_count: 1, last_status: "ok", lease_owner: null });
  });
});
