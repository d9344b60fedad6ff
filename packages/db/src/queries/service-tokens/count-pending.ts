import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Pending tokens of one service name, or registered from one peer address: for the caps on both. */
export async function countPendingServiceTokens(db: Kysely<Database>, by: { serviceName: string } | { peerAddress: string }): Promise<number> {
  let q = db
    .selectFrom("service_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("status", "=", "pending");
  q = "serviceName" in by ? q.where("service_name", "=", by.serviceName) : q.where("peer_address", "=", by.peerAddress);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
