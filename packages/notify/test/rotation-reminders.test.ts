import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createSecretStub, getEnvironmentByName, getJob, listOutboxEvents, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { createScheduler, rotationReminderJob } from "../src/index.js";
import { movableClock } from "./helpers.js";

const freshPglite = createPgliteTemplate();
const open: KeywardDatabase[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});
const DAY = 86_400_000;

describe("rotation reminders (daily digest, cooldown, movable clock)", () => {
  it("sends one digest per environment and kind, not again within the cooldown, and escalates a due secret once it is overdue", async () => {
    const database = await freshPglite();
    open.push(database);
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const t0 = new Date("2026-03-01T06:00:00Z");
    const values: string[] = [];
    const secret = async (environment: string, name: string, writtenDaysAgo: number) => {
      const env = (await getEnvironmentByName(database.db, environment))!;
      await createSecretStub(database.db, { environmentId: env.id, name, description: name, requestedBy: "admin", at: t0 });
      const value = "sk_live_" + randomBytes(12).toString("hex");
      values.push(value);
      await setSecretValue(database.db, envelope, { environmentId: env.id, name, value, actor: "admin", at: new Date(t0.getTime() - writtenDaysAgo * DAY) });
    };
    await secret("production", "DUE_SOON", 80); // 90-day policy: due in 10 days
    await secret("production", "OVERDUE", 100);
    await secret("production", "FRESH", 10);
    await secret("staging", "STAGING_OLD", 95);
    await secret("production", "STUB_ONLY", 200);
    await sql`update secrets set status = 'disabled' where name = 'STUB_ONLY'`.execute(database.db); // disabled: never reminded

    const clock = movableClock(new Date(t0.getTime() - 60_000)); // one minute before the daily time
    const scheduler = createScheduler({ db: database.db, clock, jobs: [rotationReminderJob({ db: database.db, dailyAtUtc: "06:00", cooldownMs: 7 * DAY })] });
    const digest = async () => (await listOutboxEvents(database.db)).map((e) => [e.type, e.environment, e.subject, (e.data as { secrets: string[] }).secrets, e.link]);

    expect(await scheduler.tick()).toEqual([]); // not 06:00 yet
    clock.set(t0);
    expect(await scheduler.tick()).toEqual(["rotation-reminders"]);
    // Environments in their order (development, staging, production); development has nothing due.
    const day0 = [
      ["rotation.overdue", "staging", "STAGING_OLD", ["STAGING_OLD"], "/admin/secrets?rotation=overdue&environment=staging"],
      ["rotation.due", "production", "DUE_SOON", ["DUE_SOON"], "/admin/secrets?rotation=due_soon&environment=production"],
      ["rotation.overdue", "production", "OVERDUE", ["OVERDUE"], "/admin/secrets?rotation=overdue&environment=production"],
    ];
    expect(await digest()).toEqual(day0);
    expect((await getJob(database.db, "rotation-reminders"))!.next_run_at.toISOString()).toBe("2026-03-02T06:00:00.000Z");

    // The next days, within the cooldown: nothing new.
    for (let d = 1; d <= 6; d++) {
      clock.set(new Date(t0.getTime() + d * DAY));
      expect(await scheduler.tick()).toEqual(["rotation-reminders"]);
    }
    expect(await digest()).toEqual(day0);

        for (let d = 7; d <= 10; d++) {
      clock.set(new Date(t0.getTime() + d * DAY));
      await scheduler.tick();
    }
    // Day 7 (cooldown passed): everything day 0 named, again; day 10: DUE_SOON turned overdue (a new kind, no cooldown).
    expect((await digest()).slice(day0.length)).toEqual([
      ...day0,
      ["rotation.overdue", "production", "DUE_SOON", ["DUE_SOON"], "/admin/secrets?rotation=overdue&environment=production"],
    ]);
    const text = JSON.stringify(await listOutboxEvents(database.db));
    for (const v of values) expect(text).not.toContain(v);
  });
});
