import { sql, type Kysely } from "kysely";
import type { Database, DescriptionMismatch } from "../../schema.js";

/**
 * Records that `serviceName`'s schema describes `secretName` differently from the stored
 * description: one row per (secret, service), holding the latest wording and how often it was seen.
 */
export async function recordDescriptionMismatch(
  db: Kysely<Database>,
  input: { secretName: string; serviceName: string; clientDescription: string; storedDescription: string; at: Date },
): Promise<DescriptionMismatch> {
  return db
    .insertInto("secret_description_mismatches")
    .values({
      secret_name: input.secretName,
      service_name: input.serviceName,
      client_description: input.clientDescription,
      stored_description: input.storedDescription,
      first_seen_at: input.at,
      last_seen_at: input.at,
    })
    .onConflict((oc) =>
      oc.columns(["secret_name", "service_name"]).doUpdateSet({
        client_description: input.clientDescription,
        stored_description: input.storedDescription,
        last_seen_at: input.at,
        seen_count: sql`secret_description_mismatches.seen_count + 1`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
