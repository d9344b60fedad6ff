import type { SecretWithRotation } from "@keyward/db";
import type { CredentialHealth } from "@keyward/spec";

/** A check marked in flight longer ago than this has crashed; it no longer reads as verifying. */
export const VERIFYING_STALE_MS = 60_000;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A secret's credential health as the spec shapes it, at `now`. */
export function credentialHealthOf(r: SecretWithRotation, now: Date, testable: boolean): CredentialHealth {
  const verifying =
    r.credential_verifying_since !== null &&
    now.getTime() - new Date(r.credential_verifying_since).getTime() < VERIFYING_STALE_MS &&
    (r.credential_checked_at === null || new Date(r.credential_verifying_since) > new Date(r.credential_checked_at));
  const state: CredentialHealth["state"] = r.status === "disabled" ? "disabled" : verifying ? "verifying" : (r.credential_status ?? "untested");
  return {
    state,
    testable,
    lastError: r.credential_error,
    lastErrorCode: r.credential_error_code as CredentialHealth["lastErrorCode"],
    checkedAt: iso(r.credential_checked_at),
    lastSuccessAt: iso(r.credential_last_success_at),
    reverifyEveryHours: r.credential_reverify_every_hours,
    nextCheckAt: iso(r.credential_next_check_at),
  };
}
