import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Marks a check of the secret's credential as in flight (the "verifying" state) before the server
 * calls the target. Bookkeeping only: the outcome, recorded by recordCredentialCheck with its audit
 * row, clears it; a crashed check's mark is ignored once it is older than the tester's timeout.
 */
export async function beginCredentialCheck(db: Kysely<Database>, check: { secretId: string; at: Date }): Promise<void> {
  await db
    .insertInto("credential_checks")
    .values({ secret_id: check.secretId, verifying_since: check.at })
    .onConflict((oc) => oc.column("secret_id").doUpdateSet({ verifying_since: check.at }))
    .execute();
}
