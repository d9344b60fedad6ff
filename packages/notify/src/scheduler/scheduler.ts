import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import { systemClock, type Clock, type Logger } from "@keyward/common";
import { claimJob, ensureJob, finishJob, renewJobLease, type Database, type JobLease } from "@keyward/db";
import { describeSchedule, firstRun, nextRunAfter, validateSchedule, type Schedule } from "./schedule.js";

export interface JobContext {
  /** The scheduler's clock at the start of the run. */
  now: Date;
  /** When the run was due. */
  dueAt: Date;
  /** Aborted when the lease is lost (another replica took over) or the scheduler stops. */
  signal: AbortSignal;
}

export interface JobDefinition {
  name: string;
  schedule: Schedule;
  /** Must be safe to run again: a run cut short by a crash is repeated by the replica that takes over. */
  run(ctx: JobContext): Promise<void>;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  jobs: JobDefinition[];
  clock?: Clock;
  logger?: Logger;
  /** How long a claim holds without renewal; a dead leader's job is taken over within leaseMs + pollMs. Default 30 s. */
  leaseMs?: number;
  /** How often each replica looks for due jobs. Default 1 s. */
  pollMs?: number;
  /** This instance's name in `jobs.lease_owner`. */
  owner?: string;
}

export interface Scheduler {
  readonly owner: string;
  /** Polls every pollMs until stop(). */
  start(): Promise<void>;
  /** Ends polling, aborts running jobs and waits for them (their leases are left to expire if they do not finish). */
  stop(): Promise<void>;
  /** One poll: ensures the job rows, claims due jobs and runs them; resolves with the names it ran. */
  tick(): Promise<string[]>;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  if (leaseMs < 3) throw new Error(`leaseMs must be at least 3, got ${leaseMs}`);
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const names = new Set<string>();
  for (const job of options.jobs) {
    validateSchedule(job.name, job.schedule);
    if (names.has(job.name)) throw new Error(`job "${job.name}" is defined twice`);
    names.add(job.name);
  }
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  let ensured: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<string[]> | undefined;

  const ensure = () =>
    (ensured ??= (async () => {
      const now = clock.now();
      for (const job of options.jobs) await ensureJob(options.db, { name: job.name, schedule: describeSchedule(job.schedule), firstRunAt: firstRun(job.schedule, now) });
    })().catch((e) => {
      ensured = undefined;
      throw e;
    }));

  async function runClaimed(job: JobDefinition, lease: JobLease): Promise<void> {
    const lost = new AbortController();
    const signal = AbortSignal.any([lost.signal, stopping.signal]);
    // Renew at a third of the lease, so two missed renewals still leave the lease ours.
    const renew = setInterval(() => {
      renewJobLease(options.db, lease, leaseMs).then(
        (ours) => {
          if (!ours) lost.abort(new Error(`job "${job.name}" lost its lease`));
        },
        (e) => options.logger?.warn({ job: job.name, err: errorText(e) }, "renewing a job lease failed"),
      );
    }, Math.floor(leaseMs / 3));
    const now = clock.now();
    let error: string | undefined;
    try {
      await job.run({ now, dueAt: lease.dueAt, signal });
    } catch (e) {
      error = errorText(e);
      options.logger?.error({ job: job.name, err: error }, "job failed");
    } finally {
      clearInterval(renew);
    }
    if (stopping.signal.aborted && error !== undefined) return; // cut short by stop(): leave it due for the next leader
    const finishedAt = clock.now();
    const ours = await finishJob(options.db, lease, { finishedAt, nextRunAt: nextRunAfter(job.schedule, finishedAt), error });
    if (!ours) options.logger?.warn({ job: job.name }, "a job run finished after losing its lease; its result is not recorded");
  }

  async function tick(): Promise<string[]> {
    await ensure();
    const ran: string[] = [];
    for (const job of options.jobs) {
      if (stopping.signal.aborted) break;
      const lease = await claimJob(options.db, { name: job.name, owner, now: clock.now(), leaseMs });
      if (!lease) continue;
      const p = runClaimed(job, lease);
      running.add(p);
      try {
        await p;
      } finally {
        running.delete(p);
      }
      ran.push(job.name);
    }
    return ran;
  }

  const loop = () => {
    if (stopping.signal.aborted) return;
    ticking = tick()
      .catch((e) => {
        options.logger?.warn({ err: errorText(e) }, "scheduler poll failed");
        return [];
      })
      .finally(() => {
        if (!stopping.signal.aborted) timer = setTimeout(loop, pollMs);
      });
  };

  return {
    owner,
    async start() {
      await ensure();
      loop();
    },
    async stop() {
      stopping.abort(new Error("scheduler stopped"));
      if (timer) clearTimeout(timer);
      await ticking;
      await Promise.allSettled([...running]);
    },
    tick,
  };
}

/** A job error's message, bounded; jobs are expected never to put a value in one. */
function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}
