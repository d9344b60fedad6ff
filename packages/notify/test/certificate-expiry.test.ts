import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createSecretStub, getEnvironmentByName, listOutboxEvents, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { createScheduler, rotationReminderJob } from "../src/index.js";
import { movableClock } from "./helpers.js";

const freshPglite = createPgliteTemplate();
const open: KeywardDatabase[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});
const DAY = 86_400_000;

// Issue #17: a certificate's notAfter (derived metadata stored with its version) raises rotation.due
// within the reminder window, whatever its rotation policy says.
describe("certificate expiry in the rotation reminders", () => {
  it("names a certificate nearing notAfter as due, an expired one as overdue, and leaves a far one and a non-certificate alone", async () => {
    const database = await freshPglite();
    open.push(database);
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const t0 = new Date("2026-03-01T06:00:00Z");
    const production = (await getEnvironmentByName(database.db, "production"))!;
    const cert = async (name: string, metadata: Record<string, string> | null) => {
      await createSecretStub(database.db, { environmentId: production.id, name, description: name, type: "pem-certificate", requestedBy: "admin", at: t0 });
      // Written yesterday: the 90-day rotation policy alone would say nothing.
      await setSecretValue(database.db, envelope, { environmentId: production.id, name, value: "-----BEGIN CERTIFICATE-----", actor: "admin", at: new Date(t0.getTime() - DAY), metadataJson: metadata ? JSON.stringify(metadata) : null });
    };
    await cert("TLS_SOON", { subject: "CN=a", notAfter: new Date(t0.getTime() + 5 * DAY).toISOString() });
    await cert("TLS_EXPIRED", { subject: "CN=b", notAfter: new Date(t0.getTime() - 2 * DAY).toISOString() });
    await cert("TLS_FAR", { subject: "CN=c", notAfter: new Date(t0.getTime() + 200 * DAY).toISOString() });
    await cert("NO_METADATA", null);
    await cert("BAD_METADATA", { notAfter: "not a date" });

    const clock = movableClock(t0);
    const scheduler = createScheduler({ db: database.db, clock, jobs: [rotationReminderJob({ db: database.db, dailyAtUtc: "06:00" })] });
    expect(await scheduler.tick()).toEqual(["rotation-reminders"]);
    const events = (await listOutboxEvents(database.db)).map((e) => [e.type, e.subject, (e.data as { secrets: string[]; daysLeft: string[] }).secrets, (e.data as { daysLeft: string[] }).daysLeft]);
    expect(events).toEqual([
      ["rotation.due", "TLS_SOON", ["TLS_SOON"], ["5"]],
      ["rotation.overdue", "TLS_EXPIRED", ["TLS_EXPIRED"], ["-2"]],
    ]);
  });
});
