import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { isEnvironmentName } from "./names.js";

export type RenameEnvironmentResult = { kind: "ok"; environment: Environment } | { kind: "not_found" } | { kind: "exists" } | { kind: "invalid_name" };

/**
 * Renames an environment. Rows reference its id, so values, tokens and grants stay with it; audit
 * rows keep the name they were written with (they are signed).
 */
export async function renameEnvironment(db: Kysely<Database>, input: { name: string; newName: string }): Promise<RenameEnvironmentResult> {
  if (!isEnvironmentName(input.newName)) return { kind: "invalid_name" };
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom("environments").select("id").where("name", "=", input.name).forUpdate().executeTakeFirst();
    if (!current) return { kind: "not_found" } as const;
    if (input.newName !== input.name && (await trx.selectFrom("environments").select("id").where("name", "=", input.newName).executeTakeFirst())) {
      return { kind: "exists" } as const;
    }
    const environment = await trx.updateTable("environments").set({ name: input.newName }).where("id", "=", current.id).returningAll().executeTakeFirstOrThrow();
    return { kind: "ok", environment } as const;
  });
}
