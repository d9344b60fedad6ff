import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { ensureSecretDefinition } from "./ensure-definition.js";
import { getSecretByName } from "./get-by-name.js";

/**
 * Records a secret that a service in one environment asked for but that has no row there yet, for
 * an admin to fill (and its definition, when no environment had one). Idempotent under races: a
 * concurrent creator wins and its row is returned (`created` false).
 */
export async function createSecretStub(
  db: Kysely<Database>,
  input: { environmentId: string; name: string; description: string; requestedBy: string; at: Date },
): Promise<{ secret: Secret; created: boolean }> {
  return inTransaction(db, async (trx) => {
    await ensureSecretDefinition(trx, { name: input.name, description: input.description, actor: input.requestedBy, at: input.at });
    const inserted = await trx
      .insertInto("secrets")
      .values({
        id: randomUUID(),
        name: input.name,
        environment_id: input.environmentId,
        status: "stub",
        created_at: input.at,
        created_by: input.requestedBy,
        updated_at: input.at,
        updated_by: input.requestedBy,
      })
      .onConflict((oc) => oc.columns(["name", "environment_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    const secret = (await getSecretByName(trx, input))!;
    return { secret, created: inserted !== undefined };
  });
}
