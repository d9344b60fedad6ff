import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { getSigningKey } from "./get.js";

export type RetireVersionsResult = { kind: "ok"; minVersion: number } | { kind: "not_found" } | { kind: "invalid"; problem: string };

/**
 * Retires every version below `below`: their signatures no longer verify. The current version can
 * never be retired (rotate first), and retiring is one-way (a lower `below` is refused).
 */
export async function retireSigningKeyVersions(db: Kysely<Database>, input: { environmentId: string; name: string; below: number }): Promise<RetireVersionsResult> {
  return inTransaction(db, async (trx) => {
    // Locked: two retires at once must not move min_version back (un-retiring a version).
    const key = await getSigningKey(trx, input, { lock: true });
    if (!key) return { kind: "not_found" } as const;
    if (!Number.isInteger(input.below) || input.below > key.current_version) {
      return { kind: "invalid", problem: `below must be a version up to the current one (${key.current_version}): the current version cannot be retired; rotate first` } as const;
    }
    if (input.below < key.min_version) return { kind: "invalid", problem: `versions below ${key.min_version} are already retired; retiring cannot be undone` } as const;
    await trx.updateTable("signing_keys").set({ min_version: input.below }).where("secret_id", "=", key.id).execute();
    return { kind: "ok", minVersion: input.below } as const;
  });
}
