import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";

/**
 * The claim the outbox and the deliveries share: up to `limit` pending rows due at `now` and not
 * claimed by a live worker (claims expire by database time, so a crashed worker's rows come back),
 * each counted as an attempt. SKIP LOCKED lets several workers claim at once without waiting on or
 * double-claiming each other's rows.
 */
export async function claimDueRows<Row>(db: Kysely<Database>, table: "outbox" | "deliveries", claim: { now: Date; limit: number; claimMs: number }): Promise<Row[]> {
  const { rows } = await sql<Row>`
    update ${sql.table(table)} set claimed_until = now() + ${claim.claimMs} * interval '1 millisecond', attempts = attempts + 1
    where id in (
      select id from ${sql.table(table)}
      where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${claim.now})
        and (claimed_until is null or claimed_until < now())
      order by seq limit ${claim.limit}
      for update skip locked)
    returning *`.execute(db);
  return rows;
}
