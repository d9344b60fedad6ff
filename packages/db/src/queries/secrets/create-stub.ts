import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { createSecret } from "./create.js";
import { getSecretByName } from "./get-by-name.js";

/**
 * Records a secret that a service in one environment asked for but that has no row there yet, for
 * an admin to fill (and its definition, when no environment had one). Idempotent under races: a
 * concurrent creator wins and its row is returned (`created` false).
 */
export async function createSecretStub(
  db: Kysely<Database>,
  input: { environmentId: string; name: string; description: string; type?: string; rotationDays?: number; reminderDays?: number; rulesJson?: string; requestedBy: string; at: Date },
): Promise<{ secret: Secret; created: boolean }> {
  return inTransaction(db, async (trx) => {
    const { requestedBy, ...definition } = input;
    const result = await createSecret(trx, { ...definition, actor: requestedBy });
    if (result.kind === "ok") return { secret: result.secret, created: true };
    return { secret: (await getSecretByName(trx, input))!, created: false };
  });
}
