import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { countEnvironmentContents, zeroCounts, type EnvironmentCounts } from "./counts.js";

export type DeleteEnvironmentResult =
  | { kind: "ok"; counts: EnvironmentCounts }
  | { kind: "not_found" }
  /** The default environment is where clients that state none go: make another the default first. */
  | { kind: "is_default" }
  /** It holds values, live tokens or grants: deleting needs `confirm`. */
  | { kind: "not_empty"; counts: EnvironmentCounts };

/**
 * Deletes an environment with its secrets' state, versions, tokens and grants (the foreign keys
 * cascade). One that holds values, live tokens or grants is deleted only with `confirm`; the
 * default never is. Stubs alone do not count: services re-create them by asking.
 */
export async function deleteEnvironment(db: Kysely<Database>, input: { name: string; confirm?: boolean }): Promise<DeleteEnvironmentResult> {
  return inTransaction(db, async (trx) => {
    const env = await trx.selectFrom("environments").select(["id", "is_default"]).where("name", "=", input.name).forUpdate().executeTakeFirst();
    if (!env) return { kind: "not_found" } as const;
    if (env.is_default) return { kind: "is_default" } as const;
    const counts = (await countEnvironmentContents(trx, env.id)).get(env.id) ?? zeroCounts();
    if (counts.values + counts.tokens + counts.grants > 0 && input.confirm !== true) return { kind: "not_empty", counts } as const;
    await trx.deleteFrom("environments").where("id", "=", env.id).execute();
    return { kind: "ok", counts } as const;
  });
}
