import { generateSigningKeyMaterial, type Envelope, type SigningAlgorithm } from "@keyward/common";
import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { createSecret } from "../secrets/create.js";
import { setSecretValue } from "../secrets/set-value.js";
import { getSigningKey, type SigningKey } from "./get.js";

export type CreateSigningKeyResult = { kind: "ok"; key: SigningKey } | { kind: "exists"; as: "secret" | "signing_key" };

/**
 * Creates a signing key with its first version of fresh material, in the caller's transaction (so
 * its audit row commits with it). The name shares the environment's secret name space: a name that
 * is already a secret or a signing key there is refused, never changed.
 */
export async function createSigningKey(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { environmentId: string; name: string; algorithm: SigningAlgorithm; description?: string; actor: string; at: Date },
): Promise<CreateSigningKeyResult> {
  return inTransaction(db, async (trx) => {
    const created = await createSecret(trx, { environmentId: input.environmentId, name: input.name, description: input.description ?? "", type: "generic", actor: input.actor, at: input.at });
    if (created.kind === "exists") {
      const key = await getSigningKey(trx, input);
      return { kind: "exists", as: key ? "signing_key" : "secret" } as const;
    }
    await trx.insertInto("signing_keys").values({ secret_id: created.secret.id, algorithm: input.algorithm, created_at: input.at, created_by: input.actor }).execute();
    const set = await setSecretValue(trx, envelope, { environmentId: input.environmentId, name: input.name, value: generateSigningKeyMaterial(), actor: input.actor, at: input.at, expectedVersion: 0, as: "signing_key" });
    if (set.kind !== "ok") throw new Error(`a new signing key could not take its first version: ${set.kind}`);
    return { kind: "ok", key: (await getSigningKey(trx, input))! } as const;
  });
}
