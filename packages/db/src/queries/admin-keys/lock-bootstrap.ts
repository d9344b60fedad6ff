import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { AUDIT_LOCK } from "../audit/append.js";

// Its own advisory lock (the audit lock + 2; + 1 is the partitions' lock of migration 0570).
const BOOTSTRAP_LOCK = AUDIT_LOCK + 2;

/**
 * Serialises first starts inside `trx`: replicas starting together on an empty database take turns,
 * so the first creates the bootstrap owner key and the others, counting again after the lock, find
 * one. Held until the transaction ends.
 */
export async function lockAdminBootstrap(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(BOOTSTRAP_LOCK)})`.execute(trx);
}
