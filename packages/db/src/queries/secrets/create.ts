import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { ensureSecretDefinition } from "./ensure-definition.js";
import { getSecretByName } from "./get-by-name.js";

export type CreateSecretResult = { kind: "ok"; secret: Secret } | { kind: "exists" };

/**
 * Creates an empty secret in one environment (a stub until it gets a value), and its definition
 * when no environment had one yet; an existing definition is shared and kept as it is. A name that
 * already has a row in this environment is refused, not changed.
 */
export async function createSecret(
  db: Kysely<Database>,
  input: { environmentId: string; name: string; description?: string; type?: string; rotationDays?: number; reminderDays?: number; rulesJson?: string; actor: string; at: Date },
): Promise<CreateSecretResult> {
  return inTransaction(db, async (trx) => {
    await ensureSecretDefinition(trx, input);
    const inserted = await trx
      .insertInto("secrets")
      .values({
        id: randomUUID(),
        name: input.name,
        environment_id: input.environmentId,
        status: "stub",
        created_at: input.at,
        created_by: input.actor,
        updated_at: input.at,
        updated_by: input.actor,
      })
      .onConflict((oc) => oc.columns(["name", "environment_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return { kind: "exists" } as const;
    return { kind: "ok", secret: (await getSecretByName(trx, input))! } as const;
  });
}
