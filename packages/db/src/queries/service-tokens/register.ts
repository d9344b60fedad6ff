import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** Records a token by its hash as pending; registering the same token again returns its row unchanged. */
export async function registerServiceToken(
  db: Kysely<Database>,
  input: { tokenHash: string; serviceName: string; serviceVersion: string; at: Date },
): Promise<{ token: ServiceToken; created: boolean }> {
  const inserted = await db
    .insertInto("service_tokens")
    .values({ id: randomUUID(), token_hash: input.tokenHash, service_name: input.serviceName, service_version: input.serviceVersion, status: "pending", requested_at: input.at })
    .onConflict((oc) => oc.column("token_hash").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { token: inserted, created: true };
  const token = await db.selectFrom("service_tokens").selectAll().where("token_hash", "=", input.tokenHash).executeTakeFirstOrThrow();
  return { token, created: false };
}
