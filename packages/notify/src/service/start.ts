import type { Kysely } from "kysely";
import { systemClock, type Clock, type Envelope, type Logger } from "@keyward/common";
import type { Database } from "@keyward/db";
import { createDeliveryWorker } from "../channels/deliver.js";
import { routeToChannels } from "../channels/configure.js";
import { createOutboxDispatcher } from "../outbox/dispatcher.js";
import { notificationRetentionJob } from "../reminders/retention.js";
import { rotationReminderJob } from "../reminders/rotation-reminders.js";
import { createScheduler, type JobDefinition, type Scheduler } from "../scheduler/scheduler.js";
import type { NotifyConfig } from "./config.js";

export interface Notifications {
  scheduler: Scheduler;
  close(): Promise<void>;
}

/**
 * The service's notification jobs on one scheduler: routing the outbox to channels, sending
 * deliveries, the daily rotation check and the daily retention sweep. Every replica starts it; the
 * lease rows make each job run on one replica at a time. `extraJobs` are the service's other periodic
 * jobs (e.g. expiring change requests), run on the same scheduler with the same leases.
 */
export async function startNotifications(
  deps: { db: Kysely<Database>; envelope: Envelope; logger?: Logger; clock?: Clock },
  config: NotifyConfig,
  extraJobs: JobDefinition[] = [],
): Promise<Notifications> {
  const clock = deps.clock ?? systemClock;
  const dispatcher = createOutboxDispatcher({ db: deps.db, handle: routeToChannels(deps.db), clock, ...(deps.logger ? { logger: deps.logger } : {}) });
  const worker = createDeliveryWorker({ db: deps.db, envelope: deps.envelope, consoleBaseUrl: config.consoleBaseUrl, clock, maxAttempts: config.maxAttempts, ...(deps.logger ? { logger: deps.logger } : {}) });
  const scheduler = createScheduler({
    db: deps.db,
    clock,
    pollMs: config.pollMs,
    leaseMs: config.leaseMs,
    ...(deps.logger ? { logger: deps.logger } : {}),
    jobs: [
      { name: "outbox-dispatch", schedule: { everyMs: config.pollMs }, run: async () => void (await dispatcher.drain()) },
      { name: "deliveries", schedule: { everyMs: config.pollMs }, run: async () => void (await worker.drain()) },
      rotationReminderJob({ db: deps.db, dailyAtUtc: config.rotationCheckAtUtc, cooldownMs: config.reminderCooldownDays * 86_400_000 }),
      notificationRetentionJob({ db: deps.db, retentionDays: config.retentionDays, cooldownMs: config.reminderCooldownDays * 86_400_000 }),
      ...extraJobs,
    ],
  });
  await scheduler.start();
  return { scheduler, close: () => scheduler.stop() };
}
