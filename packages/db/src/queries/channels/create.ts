import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Channel, ChannelKind, Database } from "../../schema.js";

/** A channel as it may be shown: everything but its sealed credentials. */
export type PublicChannel = Omit<Channel, "credentials_ciphertext" | "credentials_wrapped_key" | "credentials_key_id">;

export const PUBLIC_CHANNEL_COLUMNS = ["id", "name", "kind", "config", "credentials_version", "enabled", "created_at", "created_by"] as const;

/** The AAD name a channel's credentials are sealed under (with its id and credential version). */
export const CHANNEL_CREDENTIALS = "keyward:channel-credentials";

/**
 * Creates a channel; its credentials are sealed with the envelope like a value and only
 * `openChannelCredentials` in the sender reads them back. Call inside an audited transaction.
 */
export async function createChannel(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { name: string; kind: ChannelKind; config: Record<string, unknown>; credentials: Record<string, string>; actor: string; at: Date },
): Promise<PublicChannel> {
  const id = "chn_" + randomUUID().replaceAll("-", "");
  const sealed = envelope.seal(JSON.stringify(input.credentials), id, 1, CHANNEL_CREDENTIALS);
  return db
    .insertInto("channels")
    .values({
      id,
      name: input.name,
      kind: input.kind,
      config: JSON.stringify(input.config),
      credentials_ciphertext: sealed.ciphertext,
      credentials_wrapped_key: sealed.wrappedKey,
      credentials_key_id: sealed.keyId,
      created_at: input.at,
      created_by: input.actor,
    })
    .returning(PUBLIC_CHANNEL_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function listChannels(db: Kysely<Database>): Promise<PublicChannel[]> {
  return db.selectFrom("channels").select(PUBLIC_CHANNEL_COLUMNS).orderBy("name").execute();
}

/** The channel's credentials in clear, for the sender only: never log, return or store them. */
export function openChannelCredentials(envelope: Envelope, channel: Pick<Channel, "id" | "credentials_version" | "credentials_ciphertext" | "credentials_wrapped_key" | "credentials_key_id">): Record<string, string> {
  const text = envelope.open(
    { ciphertext: Buffer.from(channel.credentials_ciphertext), wrappedKey: Buffer.from(channel.credentials_wrapped_key), keyId: channel.credentials_key_id },
    channel.id,
    channel.credentials_version,
    CHANNEL_CREDENTIALS,
  );
  return JSON.parse(text) as Record<string, string>;
}
