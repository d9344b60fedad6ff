import type { Kysely } from "kysely";
import type { CredentialCheckStatus, Database } from "../../schema.js";

export type CredentialCheckOutcome = { status: "connected" } | { status: "error"; error: string; code: string };

/**
 * Records a finished check's outcome (call it in the transaction that writes the check's audit row)
 * and schedules the next one when re-verification is on. Returns the status before, so the caller
 * raises `credential.failed` only when a working (or untested) credential starts failing.
 */
export async function recordCredentialCheck(
  trx: Kysely<Database>,
  check: { secretId: string; outcome: CredentialCheckOutcome; at: Date; by: string },
): Promise<{ previous: CredentialCheckStatus }> {
  const before = await trx.selectFrom("credential_checks").select(["status", "reverify_every_hours"]).where("secret_id", "=", check.secretId).forUpdate().executeTakeFirst();
  const ok = check.outcome.status === "connected";
  const fields = {
    status: check.outcome.status,
    last_error: ok ? null : (check.outcome as { error: string }).error,
    last_error_code: ok ? null : (check.outcome as { code: string }).code,
    checked_at: check.at,
    checked_by: check.by,
    verifying_since: null,
    ...(ok ? { last_success_at: check.at } : {}),
    next_check_at: before?.reverify_every_hours ? new Date(check.at.getTime() + before.reverify_every_hours * 3_600_000) : null,
  };
  await trx
    .insertInto("credential_checks")
    .values({ secret_id: check.secretId, ...fields })
    .onConflict((oc) => oc.column("secret_id").doUpdateSet(fields))
    .execute();
  return { previous: before?.status ?? "untested" };
}
