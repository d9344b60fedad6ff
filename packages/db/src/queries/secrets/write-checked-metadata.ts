import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** A version whose metadata the current validator derived again (cleanStoredMetadata), as it is to be stored. */
export interface CheckedMetadata {
  secretId: string;
  version: number;
  /** The metadata as JSON text, null for none: the stored text itself when it was already right. */
  metadataJson: string | null;
  /** Also write it to the secret's row (its copy of the current version's metadata, migration 0610): the metadata changed and this is the current version. */
  onSecret: boolean;
}

/**
 * Stores a batch of checked metadata in ONE statement, whatever the batch's size: every version gets
 * its metadata and is marked as checked (metadata_version 2), and the secrets' rows whose current
 * version it is and whose metadata changed get their copy. The rows travel as four array parameters
 * (unnest), so the statement's text and parameter count stay the same for every batch. Both updates
 * see the same snapshot and touch different tables. The caller holds the rows' locks (its
 * transaction locked the secrets' rows, then their versions); a secret's row whose current version
 * moved meanwhile is left alone (`current_version` is matched, as one version at a time did).
 */
export async function writeCheckedMetadata(trx: Kysely<Database>, rows: readonly CheckedMetadata[]): Promise<void> {
  if (rows.length === 0) return;
  const secretIds = rows.map((r) => r.secretId);
  const versions = rows.map((r) => r.version);
  const metadata = rows.map((r) => r.metadataJson);
  const onSecret = rows.map((r) => r.onSecret);
  await trx
    .with("x", () =>
      sql<{ secret_id: string; version: number; metadata_json: string | null; on_secret: boolean }>`(select * from unnest(${secretIds}::text[], ${versions}::int[], ${metadata}::text[], ${onSecret}::boolean[]) as x(secret_id, version, metadata_json, on_secret))`,
    )
    .with("versions", (qc) =>
      qc
        .updateTable("secret_versions as v")
        .from("x")
        .set((eb) => ({ metadata_json: eb.ref("x.metadata_json"), metadata_version: 2 }))
        .whereRef("v.secret_id", "=", "x.secret_id")
        .whereRef("v.version", "=", "x.version"),
    )
    .updateTable("secrets as s")
    .from("x")
    .set((eb) => ({ metadata_json: eb.ref("x.metadata_json") }))
    .where("x.on_secret", "=", true)
    .whereRef("s.id", "=", "x.secret_id")
    .whereRef("s.current_version", "=", "x.version")
    .execute();
}
