// Issue #14 end to end: the service starts the notification jobs; a token registered over the real
// gRPC API writes its event with the token's row, the outbox job routes it to a webhook channel and
// the deliveries job sends it, signed, with a link to the console. Nothing carries the token.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { connectPostgres, createKeyringEnvelope, listDeliveries, listJobs } from "@keyward/db";
import { addChannel, subscribe, verifyWebhookSignature } from "@keyward/notify";
import { createSecretsClient } from "@keyward/secrets";
import { startSecretsService } from "../src/index.js";
import { freshPostgresUrl, tmpDir } from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function until(check: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("notifications in the running service (PostgreSQL)", () => {
  it("delivers a pending token's event to a subscribed webhook, signed, with the console link", { timeout: 120_000 }, async () => {
    const signingSecret = randomBytes(24).toString("hex");
    const received: { body: Record<string, unknown>; verdict: string; key: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        received.push({ body: JSON.parse(raw), verdict: verifyWebhookSignature(signingSecret, req.headers["keyward-signature"] as string, raw), key: req.headers["idempotency-key"] as string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise((r) => receiver.close(() => r())));

    const url = await freshPostgresUrl();
    const master = randomBytes(32);
    const auditKey = randomBytes(32);
    const env = { KEYWARD_MASTER_KEY: master.toString("base64"), KEYWARD_AUDIT_KEY: auditKey.toString("base64"), KEYWARD_NOTIFY_POLL_MS: "50", KEYWARD_PUBLIC_URL: "https://keyward.example.test" };
    let logs = "";
    const logger = createLogger({ level: "debug", destination: new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }) });
    const service = await startSecretsService({ env, dataDir: tmpDir("kw-notify-"), databaseUrl: url, grpcPort: 0, httpPort: 0, logger });
    closers.push(() => service.close());

    // Configure a channel the way the admin routes of a later step will: sealed with the service's keyring.
    const database = connectPostgres(url, { max: 2 });
    closers.push(() => database.close());
    const envelope = await createKeyringEnvelope(database.db, master, { auditKey, actor: "test", at: new Date() });
    const port = (receiver.address() as AddressInfo).port;
    const channel = await addChannel({ db: database.db, envelope, auditKey }, { name: "ops", kind: "webhook", config: { url: `http://127.0.0.1:${port}/hook` }, credentials: { signingSecret }, actor: "admin:test", at: new Date() });
    await subscribe({ db: database.db, auditKey }, { channelId: channel.id, eventTypes: ["token.pending"], actor: "admin:test", at: new Date() });

    const token = "kws_" + randomBytes(32).toString("base64url");
    const client = createSecretsClient({ properties: { MAILGUN_KEY: { description: "Mailgun API key" } } } as const, { url: service.grpcAddress, token, serviceName: "mailer" });
    closers.push(async () => client.close());
    expect(await client.register()).toBe("pending");

    await until(() => received.length > 0, "the webhook delivery");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ verdict: "ok", body: { type: "token.pending", subject: "mailer", environment: "development", url: "https://keyward.example.test/admin/tokens?status=pending&environment=development" } });
    expect(received[0]!.key).toBe(received[0]!.body.id);
    expect(JSON.stringify(received)).not.toContain(token);
    expect(logs).toContain("keyward started");
    for (const secret of [token, signingSecret]) expect(logs).not.toContain(secret);
    await until(async () => (await listDeliveries(database.db)).some((d) => d.status === "delivered"), "the delivery row");
    const jobs = await listJobs(database.db);
    expect(jobs.map((j) => j.name)).toEqual(["audit-checkpoints", "audit-retention", "change-request-expiry", "credential-reverify", "deliveries", "notification-retention", "outbox-dispatch", "rotation-reminders"]);
    expect(jobs.find((j) => j.name === "audit-checkpoints")!.schedule).toBe("every 300000ms");
    expect(jobs.find((j) => j.name === "change-request-expiry")!.schedule).toBe("every 60000ms");
    expect(jobs.find((j) => j.name === "audit-retention")!.schedule).toBe("every 3600000ms");
    expect(jobs.find((j) => j.name === "rotation-reminders")!.schedule).toBe("daily 06:00 UTC");
  });
});
