import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { auditRowHash } from "./chain.js";

type Edge = "asc" | "desc";

/** Whether the oldest ("asc") or newest ("desc") row's HMAC computes again with `key`; an empty log fits any key. */
async function edgeRowFits(db: Kysely<Database>, key: Uint8Array, edge: Edge): Promise<boolean> {
  const row = await db.selectFrom("audit_log").selectAll().orderBy("seq", edge).limit(1).executeTakeFirst();
  if (!row) return true;
  return auditRowHash(key, row.prev_hash, Number(row.seq), row) === row.hash;
}

/**
 * Whether `key` is the key the audit chain is written with: the newest row's HMAC is computed again
 * with it. A wrong key (another instance's, or one generated because the file went missing) would
 * append rows that break the chain, read later as tampering. An empty log fits any key.
 */
export function auditKeyFitsChain(db: Kysely<Database>, key: Uint8Array): Promise<boolean> {
  return edgeRowFits(db, key, "desc");
}

/**
 * After a failed verification, whether the key is to blame: "foreign" when neither the oldest nor
 * the newest row computes with it (another key, or every row altered: a verification with it proves
 * nothing, and a row appended with it would itself break the chain); "fits" otherwise.
 */
export async function auditKeyVerdict(db: Kysely<Database>, key: Uint8Array): Promise<"fits" | "foreign"> {
  if (await edgeRowFits(db, key, "desc")) return "fits";
  return (await edgeRowFits(db, key, "asc")) ? "fits" : "foreign";
}
