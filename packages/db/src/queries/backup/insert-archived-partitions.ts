import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { insertRows } from "./insert-rows.js";

/**
 * Restores the source's registry of archived partitions: where its rows older than the hot window
 * went, which is how the restored log's first row links to the archives. Its hot partitions are not
 * the target's (the target made its own, and restored rows land in them), so they are skipped; an
 * archived one that shares a name with one of the target's gets a suffix (the name is only a label
 * once its table is dropped).
 */
export async function insertArchivedAuditPartitions(db: Kysely<Database>, columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const archived = rows.filter((r) => r.state !== "hot");
  if (archived.length === 0) return;
  const taken = new Set((await db.selectFrom("audit_partitions").select("name").execute()).map((p) => p.name));
  await insertRows(
    db,
    "audit_partitions",
    columns,
    archived.map((r) => (taken.has(String(r.name)) ? { ...r, name: `${String(r.name)}_restored` } : r)),
  );
}
