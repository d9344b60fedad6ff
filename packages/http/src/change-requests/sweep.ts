import { expireChangeRequests, inAuditedTransaction, type Database } from "@keyward/db";
import type { Clock } from "@keyward/common";
import type { Kysely } from "kysely";
import { environmentNameOf } from "./environment.js";

/**
 * Expires every pending change request past its `expires_at`: each one in its own transaction, its
 * held ciphertext destroyed in the same update, with one `change_request.expire` audit row (actor
 * `system:keyward`). Safe to run on several replicas or again after a crash: a request another run
 * expired first is skipped. Returns how many it expired. The service runs it every minute.
 */
export async function expireOverdueChangeRequests(deps: { db: Kysely<Database>; auditKey: Uint8Array; clock: Clock }, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 100;
  const now = deps.clock.now();
  let expired = 0;
  for (;;) {
    const due = await deps.db
      .selectFrom("change_requests")
      .select("id")
      .where("status", "=", "pending")
      .where("expires_at", "<=", now)
      .orderBy("expires_at")
      .orderBy("id")
      .limit(batch)
      .execute();
    for (const { id } of due) {
      expired += await inAuditedTransaction(deps.db, deps.auditKey, async (trx, audit) => {
        const rows = await expireChangeRequests(trx, { now, id });
        for (const row of rows) {
          audit({
            at: now,
            actor_type: "system",
            actor_id: "keyward",
            action: "change_request.expire",
            target: `change_request:${row.id}`,
            result: "ok",
            reason: `${row.kind} ${row.target}, pending since ${new Date(row.created_at).toISOString()}`,
            environment: await environmentNameOf(trx, row.environment_id),
          });
        }
        return rows.length;
      });
    }
    if (due.length < batch) return expired;
  }
}
