import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { auditRowHash } from "./chain.js";

/**
 * Whether `key` is the key the audit chain is written with: the newest row's HMAC is computed again
 * with it. A wrong key (another instance's, or one generated because the file went missing) would
 * append rows that break the chain, read later as tampering. An empty log fits any key.
 */
export async function auditKeyFitsChain(db: Kysely<Database>, key: Uint8Array): Promise<boolean> {
  const row = await db.selectFrom("audit_log").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirst();
  if (!row) return true;
  return auditRowHash(key, row.prev_hash, Number(row.seq), row) === row.hash;
}
