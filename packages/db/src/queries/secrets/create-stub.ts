import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";

/**
 * Records a secret that a service asked for but that does not exist yet, for an admin to fill.
 * Idempotent under races: a concurrent creator wins and its row is returned (`created` false).
 */
export async function createSecretStub(
  db: Kysely<Database>,
  input: { name: string; description: string; requestedBy: string; at: Date },
): Promise<{ secret: Secret; created: boolean }> {
  const inserted = await db
    .insertInto("secrets")
    .values({
      id: randomUUID(),
      name: input.name,
      description: input.description,
      status: "stub",
      created_at: input.at,
      created_by: input.requestedBy,
      updated_at: input.at,
      updated_by: input.requestedBy,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { secret: inserted, created: true };
  return { secret: await db.selectFrom("secrets").selectAll().where("name", "=", input.name).executeTakeFirstOrThrow(), created: false };
}
