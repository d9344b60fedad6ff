import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";

export type CreateSecretResult = { kind: "ok"; secret: Secret } | { kind: "exists" };

/** Creates an empty secret (a stub until it gets a value); an existing name is refused, not changed. */
export async function createSecret(
  db: Kysely<Database>,
  input: { name: string; description?: string; type?: string; rotationDays?: number; actor: string; at: Date },
): Promise<CreateSecretResult> {
  const secret = await db
    .insertInto("secrets")
    .values({
      id: randomUUID(),
      name: input.name,
      description: input.description ?? "",
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.rotationDays === undefined ? {} : { rotation_days: input.rotationDays }),
      status: "stub",
      created_at: input.at,
      created_by: input.actor,
      updated_at: input.at,
      updated_by: input.actor,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  return secret ? { kind: "ok", secret } : { kind: "exists" };
}
