import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";

export type DeleteEnvironmentResult =
  | { kind: "ok" }
  | { kind: "not_found" }
  /** The default environment is where clients that state none go: make another the default first. */
  | { kind: "is_default" }
  /** It holds values (secrets with a version): deleting needs `confirm`. */
  | { kind: "holds_values"; values: number };

/**
 * Deletes an environment with its secrets' state, versions, tokens and grants (the foreign keys
 * cascade). One that holds values is deleted only with `confirm`; the default never is.
 */
export async function deleteEnvironment(db: Kysely<Database>, input: { name: string; confirm?: boolean }): Promise<DeleteEnvironmentResult> {
  return inTransaction(db, async (trx) => {
    const env = await trx.selectFrom("environments").select(["id", "is_default"]).where("name", "=", input.name).forUpdate().executeTakeFirst();
    if (!env) return { kind: "not_found" } as const;
    if (env.is_default) return { kind: "is_default" } as const;
    const held = await trx
      .selectFrom("secrets")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("environment_id", "=", env.id)
      .where("current_version", ">", 0)
      .executeTakeFirstOrThrow();
    const values = Number(held.n);
    if (values > 0 && input.confirm !== true) return { kind: "holds_values", values } as const;
    await trx.deleteFrom("environments").where("id", "=", env.id).execute();
    return { kind: "ok" } as const;
  });
}
