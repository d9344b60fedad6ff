import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import { createChannel, createSubscription, inAuditedTransaction, routeEvent, type ChannelKind, type Database, type EventType, type OutboxEvent, type PublicChannel, type Subscription } from "@keyward/db";
import type { EventHandler } from "../outbox/dispatcher.js";

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const required: Record<ChannelKind, { config: string[]; credentials: string[] }> = {
  webhook: { config: ["url"], credentials: ["signingSecret"] },
  slack: { config: [], credentials: ["webhookUrl"] },
  email: { config: ["host", "port", "from", "to"], credentials: [] },
};

/**
 * Adds a channel and its audit row in one transaction (the admin routes of a later step call this).
 * Bad input is named; credentials are sealed and never part of the result or the audit row.
 */
export async function addChannel(
  deps: { db: Kysely<Database>; envelope: Envelope; auditKey: Uint8Array },
  input: { name: string; kind: ChannelKind; config: Record<string, unknown>; credentials: Record<string, string>; actor: string; at: Date },
): Promise<PublicChannel> {
  if (!NAME.test(input.name)) throw new Error(`channel name must be a lower-case slug (a-z, 0-9, -), got "${input.name}"`);
  const need = required[input.kind];
  if (!need) throw new Error(`channel kind must be webhook, slack or email, got "${input.kind}"`);
  for (const k of need.config) if (input.config[k] === undefined || input.config[k] === "") throw new Error(`a channel of kind ${input.kind} needs config.${k}`);
  for (const k of need.credentials) if (!input.credentials[k]) throw new Error(`a channel of kind ${input.kind} needs credentials.${k}`);
  if (input.kind === "webhook" && !/^https?:\/\//.test(String(input.config.url))) throw new Error("config.url must be an http(s) URL");
  if (input.kind === "slack" && !/^https?:\/\//.test(input.credentials.webhookUrl!)) throw new Error("credentials.webhookUrl must be an http(s) URL");
  return inAuditedTransaction(deps.db, deps.auditKey, async (trx, audit) => {
    const channel = await createChannel(trx, deps.envelope, input);
    audit({ at: input.at, actor_type: "admin", actor_id: input.actor, action: "channel.create", target: `channel:${channel.name}`, result: "created", reason: channel.kind });
    return channel;
  });
}

/** Routes event types (all when empty) in environments (all when empty) to a channel, with its audit row. */
export function subscribe(
  deps: { db: Kysely<Database>; auditKey: Uint8Array },
  input: { channelId: string; eventTypes?: EventType[]; environments?: string[]; actor: string; at: Date },
): Promise<Subscription> {
  return inAuditedTransaction(deps.db, deps.auditKey, async (trx, audit) => {
    const sub = await createSubscription(trx, input);
    audit({ at: input.at, actor_type: "admin", actor_id: input.actor, action: "channel.subscribe", target: `channel:${input.channelId}`, result: "created", reason: [...(input.eventTypes ?? ["*"])].join(",") });
    return sub;
  });
}

/** The outbox handler that routes each event to its subscribed channels (idempotent per event and channel). */
export function routeToChannels(db: Kysely<Database>): EventHandler {
  return async (event: OutboxEvent) => {
    await routeEvent(db, event);
  };
}
