import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Stamps an admin key's last use; at most one write per key per minute. */
export async function recordAdminKeyUse(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db
    .updateTable("admin_api_keys")
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", new Date(at.getTime() - 60_000))]))
    .execute();
}
