import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { isEnvironmentName } from "./names.js";

export type UpdateEnvironmentResult =
  | { kind: "ok"; environment: Environment; before: Environment }
  | { kind: "not_found" }
  | { kind: "exists" }
  | { kind: "invalid_name" }
  /** There is always exactly one default: make another the default instead of unsetting this one. */
  | { kind: "default_required" };

/**
 * Renames an environment, sets its protected flag, its change requests' approvals count and lifetime,
 * and/or makes it the default, in one transaction
 * (the caller's, so its audit row commits with it). Rows reference the id, so a rename keeps values,
 * tokens and grants with it.
 */
export async function updateEnvironment(
  db: Kysely<Database>,
  input: { name: string; newName?: string; protected?: boolean; default?: boolean; approvalsRequired?: number; changeRequestTtlSeconds?: number },
): Promise<UpdateEnvironmentResult> {
  if (input.newName !== undefined && !isEnvironmentName(input.newName)) return { kind: "invalid_name" };
  if (input.approvalsRequired !== undefined && !(Number.isInteger(input.approvalsRequired) && input.approvalsRequired >= 1 && input.approvalsRequired <= 10)) {
    throw new RangeError(`approvalsRequired must be a whole number from 1 to 10, got ${input.approvalsRequired}`);
  }
  if (input.changeRequestTtlSeconds !== undefined && !(Number.isInteger(input.changeRequestTtlSeconds) && input.changeRequestTtlSeconds >= 300 && input.changeRequestTtlSeconds <= 30 * 86400)) {
    throw new RangeError(`changeRequestTtlSeconds must be a whole number from 300 to ${30 * 86400}, got ${input.changeRequestTtlSeconds}`);
  }
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("environments").selectAll().where("name", "=", input.name).forUpdate().executeTakeFirst();
    if (!before) return { kind: "not_found" } as const;
    if (input.default === false && before.is_default) return { kind: "default_required" } as const;
    if (input.newName !== undefined && input.newName !== input.name && (await trx.selectFrom("environments").select("id").where("name", "=", input.newName).executeTakeFirst())) {
      return { kind: "exists" } as const;
    }
    if (input.default === true && !before.is_default) {
      // The partial unique index allows one default: clear the old one first, in the same transaction.
      await trx.updateTable("environments").set({ is_default: false }).where("is_default", "=", true).execute();
    }
    const environment = await trx
      .updateTable("environments")
      .set({
        ...(input.newName !== undefined ? { name: input.newName } : {}),
        ...(input.protected !== undefined ? { protected: input.protected } : {}),
        ...(input.default === true ? { is_default: true } : {}),
        ...(input.approvalsRequired !== undefined ? { approvals_required: input.approvalsRequired } : {}),
        ...(input.changeRequestTtlSeconds !== undefined ? { change_request_ttl_seconds: input.changeRequestTtlSeconds } : {}),
      })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: "ok", environment, before } as const;
  });
}
