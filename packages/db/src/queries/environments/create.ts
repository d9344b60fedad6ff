import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";
import { isEnvironmentName, newEnvironmentId } from "./names.js";

export type CreateEnvironmentResult = { kind: "ok"; environment: Environment } | { kind: "exists" } | { kind: "invalid_name" };

/** Creates an environment after the others (never the default); an existing name is refused, not changed. */
export async function createEnvironment(
  db: Kysely<Database>,
  input: { name: string; protected?: boolean; actor: string; at: Date },
): Promise<CreateEnvironmentResult> {
  if (!isEnvironmentName(input.name)) return { kind: "invalid_name" };
  const environment = await db
    .insertInto("environments")
    .values((eb) => ({
      id: newEnvironmentId(),
      name: input.name,
      protected: input.protected ?? false,
      position: eb.selectFrom("environments").select(eb.fn.coalesce(eb(eb.fn.max("position"), "+", 1), eb.lit(0)).as("p")),
      created_at: input.at,
      created_by: input.actor,
    }))
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  return environment ? { kind: "ok", environment } : { kind: "exists" };
}
