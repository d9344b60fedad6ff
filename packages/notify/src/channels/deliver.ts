import type { Kysely } from "kysely";
import { systemClock, type Clock, type Envelope, type Logger } from "@keyward/common";
import { claimDeliveries, finishDelivery, openChannelCredentials, recordEvent, type ClaimedDelivery, type Database } from "@keyward/db";
import { backoffDelay, type Backoff } from "../outbox/backoff.js";
import { sendEmail, type EmailConfig } from "./email.js";
import { eventMessage } from "./message.js";
import { SendError } from "./send-error.js";
import { sendSlack } from "./slack.js";
import { sendWebhook } from "./webhook.js";

export interface DeliveryWorkerOptions {
  db: Kysely<Database>;
  envelope: Envelope;
  /** Where the console is, e.g. https://keyward.example.com (event links are paths under it). */
  consoleBaseUrl: string;
  clock?: Clock;
  logger?: Logger;
  /** After this many failed attempts a delivery is dead (kept, with its last error). Default 8. */
  maxAttempts?: number;
  backoff?: Backoff;
  batchSize?: number;
  claimMs?: number;
}

export interface DeliveryWorker {
  /** Sends every due delivery once; resolves with the counts of this pass. */
  drain(): Promise<{ delivered: number; retrying: number; dead: number }>;
}

/**
 * Sends pending deliveries over their channel, retrying with exponential backoff and giving up
 * (dead-letter) after maxAttempts. Every message carries the event id as idempotency key, so a
 * retry after a crash is not a second message to a receiver that honours it.
 */
/**
 * Sends one claimed delivery over its channel (credentials opened here, used, and dropped); resolves
 * with the receiver's HTTP status when it has one. Throws a SendError (text safe to keep) or anything.
 */
export async function sendClaimed(deps: { envelope: Envelope; consoleBaseUrl: string; clock: Clock }, { event, channel, delivery }: ClaimedDelivery): Promise<number | undefined> {
  const credentials = openChannelCredentials(deps.envelope, channel);
  const message = eventMessage(event, deps.consoleBaseUrl, 1 + delivery.merged_event_ids.length);
  const config = channel.config as Record<string, unknown>;
  switch (channel.kind) {
    case "webhook":
      return sendWebhook({ url: String(config.url) }, { signingSecret: credentials.signingSecret ?? "" }, message, deps.clock.now());
    case "slack":
      return sendSlack({ webhookUrl: credentials.webhookUrl ?? "" }, message);
    case "email":
      await sendEmail(config as unknown as EmailConfig, { password: credentials.password }, message);
      return undefined;
  }
}

/** What a failed send leaves in the delivery record: a SendError's text is safe by construction; anything else is reduced to its kind. */
export function sendFailure(e: unknown): { error: string; statusCode?: number } {
  if (e instanceof SendError) return { error: e.message, ...(e.statusCode ? { statusCode: e.statusCode } : {}) };
  return { error: `send failed: ${(e as Error)?.name ?? "error"}` };
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 8;
  const send = (claimed: ClaimedDelivery) => sendClaimed({ envelope: options.envelope, consoleBaseUrl: options.consoleBaseUrl, clock }, claimed);
  return {
    async drain() {
      const counts = { delivered: 0, retrying: 0, dead: 0 };
      const seen = new Set<string>();
      for (;;) {
        const batch = (await claimDeliveries(options.db, { now: clock.now(), limit: options.batchSize ?? 20, claimMs: options.claimMs ?? 60_000 })).filter((c) => !seen.has(c.delivery.id));
        if (batch.length === 0) return counts;
        for (const claimed of batch) {
          const { delivery, channel } = claimed;
          seen.add(delivery.id);
          try {
            const statusCode = await send(claimed);
            await finishDelivery(options.db, delivery.id, { status: "delivered", at: clock.now(), ...(statusCode ? { statusCode } : {}) });
            counts.delivered++;
          } catch (e) {
            const { error, statusCode } = sendFailure(e);
            if (delivery.attempts >= maxAttempts) {
              // Admins hear that a channel is failing (with the dead-letter, atomically); never about a
              // failing delivery.failing event itself, so a channel that is down cannot loop.
              await options.db.transaction().execute(async (trx) => {
                await finishDelivery(trx, delivery.id, { status: "dead", error, ...(statusCode ? { statusCode } : {}) });
                if (claimed.event.type !== "delivery.failing") {
                  await recordEvent(trx, {
                    type: "delivery.failing",
                    environment: claimed.event.environment,
                    subject: channel.name,
                    link: `/admin/notifications?channel=${encodeURIComponent(channel.name)}`,
                    data: { channel: channel.name, eventId: claimed.event.id, eventType: claimed.event.type, attempts: delivery.attempts, error },
                  });
                }
              });
              counts.dead++;
              options.logger?.error({ delivery: delivery.id, channel: channel.name, attempts: delivery.attempts, err: error }, "a delivery failed for the last time (dead-lettered)");
            } else {
              await finishDelivery(options.db, delivery.id, { status: "pending", error, retryAt: new Date(clock.now().getTime() + backoffDelay(options.backoff, delivery.attempts)), ...(statusCode ? { statusCode } : {}) });
              counts.retrying++;
              options.logger?.warn({ delivery: delivery.id, channel: channel.name, attempts: delivery.attempts, err: error }, "a delivery failed; it will be retried");
            }
          }
        }
      }
    },
  };
}
