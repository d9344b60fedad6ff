import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import { createChannel, createSubscription, inAuditedTransaction, routeEvent, type ChannelKind, type Database, type EventType, type OutboxEvent, type PublicChannel, type Subscription } from "@keyward/db";
import type { EventHandler } from "../outbox/dispatcher.js";

/** The same rule as the admin API spec's ChannelName. */
export const CHANNEL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const required: Record<ChannelKind, { config: string[]; credentials: string[] }> = {
  webhook: { config: ["url"], credentials: ["signingSecret"] },
  slack: { config: [], credentials: ["webhookUrl"] },
  email: { config: ["host", "port", "from", "to"], credentials: [] },
};

/** What is wrong with a channel's settings or credentials for its kind, naming the field; undefined when nothing is. */
export function channelProblem(kind: ChannelKind, config: Record<string, unknown>, credentials: Record<string, string> | undefined): { field: string; message: string } | undefined {
  const need = required[kind];
  if (!need) return { field: "kind", message: `channel kind must be webhook, slack or email, got "${String(kind)}"` };
  for (const k of need.config) if (config[k] === undefined || config[k] === "") return { field: `config.${k}`, message: `a channel of kind ${kind} needs config.${k}` };
  if (credentials) for (const k of need.credentials) if (!credentials[k]) return { field: `credentials.${k}`, message: `a channel of kind ${kind} needs credentials.${k}` };
  if (kind === "webhook" && !/^https?:\/\//.test(String(config.url))) return { field: "config.url", message: "config.url must be an http(s) URL" };
  if (kind === "slack" && credentials && !/^https?:\/\//.test(credentials.webhookUrl ?? "")) return { field: "credentials.webhookUrl", message: "credentials.webhookUrl must be an http(s) URL" };
  if (kind === "email" && config.to !== undefined && !(Array.isArray(config.to) && config.to.length > 0)) return { field: "config.to", message: "config.to must list at least one address" };
  return undefined;
}

/**
 * Adds a channel and its audit row in one transaction (the admin API's route does the same in its
 * own audited transaction). Bad input is named; credentials are sealed and never part of the result
 * or the audit row.
 */
export async function addChannel(
  deps: { db: Kysely<Database>; envelope: Envelope; auditKey: Uint8Array },
  input: { name: string; kind: ChannelKind; config: Record<string, unknown>; credentials: Record<string, string>; actor: string; at: Date },
): Promise<PublicChannel> {
  if (!CHANNEL_NAME.test(input.name)) throw new Error(`channel name must be a lower-case slug (a-z, 0-9, -), got "${input.name}"`);
  const problem = channelProblem(input.kind, input.config, input.credentials);
  if (problem) throw new Error(problem.message);
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
