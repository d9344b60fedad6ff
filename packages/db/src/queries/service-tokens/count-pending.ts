import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Pending tokens of one service name in one environment, or registered from one peer address in
 * any environment (that cap bounds what one address can make admins wade through): for the caps on both.
 */
export async function countPendingServiceTokens(db: Kysely<Database>, by: { serviceName: string; environmentId: string } | { peerAddress: string }): Promise<number> {
  let q = db
    .selectFrom("service_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("status", "=", "pending");
  q = "serviceName" in by ? q.where("service_name", "=", by.serviceName).where("environment_id", "=", by.environmentId) : q.where("peer_address", "=", by.peerAddress);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
