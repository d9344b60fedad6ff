import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Where the newest archive ends (its last seq and the chain's hash there), or undefined before any archive (issue #21). */
export async function newestArchiveEnd(db: Kysely<Database>): Promise<{ seq: number; hash: string } | undefined> {
  const archived = await db.selectFrom("audit_partitions").select(["last_seq", "after_hash"]).where("state", "=", "archived").orderBy("last_seq", "desc").limit(1).executeTakeFirst();
  return archived ? { seq: Number(archived.last_seq), hash: archived.after_hash! } : undefined;
}
