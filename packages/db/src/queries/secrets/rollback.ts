import type { Kysely } from "kysely";
import { assertNever, type Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { readSecretValue } from "./read-value.js";
import { setSecretValue, type SetValueResult } from "./set-value.js";

export type RollbackResult = Exclude<SetValueResult, { kind: "invalid" }> | { kind: "version_not_found"; version: number } | { kind: "integrity"; problem: string };

/**
 * Rolls back by writing the old value as a new version: history only grows, and the value is
 * re-sealed because its AAD binds it to the version number. One transaction (the caller's, when
 * `db` is one), so the old value and the write see the same secret.
 */
export async function rollbackSecret(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { environmentId: string; name: string; toVersion: number; actor: string; at: Date; expectedVersion?: number; keepVersions?: number },
): Promise<RollbackResult> {
  return inTransaction(db, async (trx) => {
    const old = await readSecretValue(trx, envelope, { environmentId: input.environmentId, name: input.name, version: input.toVersion });
    switch (old.kind) {
      case "ok": {
        // Unchecked: the old value was accepted when it was stored; its metadata comes with it.
        const set = await setSecretValue(trx, envelope, { ...input, value: old.value, metadataJson: old.metadataJson });
        if (set.kind === "invalid") throw new Error("rollback: a value was refused without a check");
        return set;
      }
      case "not_found":
      case "no_value":
        return (await trx.selectFrom("secrets").select("id").where("name", "=", input.name).where("environment_id", "=", input.environmentId).executeTakeFirst())
          ? { kind: "version_not_found", version: input.toVersion }
          : { kind: "not_found" };
      case "disabled":
        return { kind: "disabled" };
      case "integrity":
      case "signing_key":
        return old;
      default:
        return assertNever(old, "read result");
    }
  });
}
