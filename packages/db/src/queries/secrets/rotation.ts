import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { CredentialCheckStatus, Database, Secret } from "../../schema.js";
import { selectSecrets } from "./select-secret.js";

/** The default reminder window (seed 002): a secret is due_soon this many days before its rotation is due, unless its reminder_days says otherwise. */
export const ROTATION_REMINDER_DAYS = 14;
const DAY_MS = 86_400_000;

export type RotationState = "no_value" | "ok" | "due_soon" | "overdue";

/** The credential check's columns (issue #17), null where the secret was never tested or scheduled. */
export interface SecretCredentialColumns {
  credential_status: CredentialCheckStatus | null;
  credential_error: string | null;
  credential_error_code: string | null;
  credential_checked_at: Date | null;
  credential_last_success_at: Date | null;
  credential_verifying_since: Date | null;
  credential_reverify_every_hours: number | null;
  credential_next_check_at: Date | null;
}

/** A secret row (with when its current version was written, null for a stub) and its credential check. */
export type SecretWithRotation = Secret & SecretCredentialColumns;

/** Selects the secrets of one environment, each with its definition (as selectSecrets) and its credential check. */
export function selectSecretsWithRotation(db: Kysely<Database>, environmentId: string) {
  return selectSecrets(db)
    .leftJoin("credential_checks as cc", "cc.secret_id", "secrets.id")
    .select([
      "cc.status as credential_status",
      "cc.last_error as credential_error",
      "cc.last_error_code as credential_error_code",
      "cc.checked_at as credential_checked_at",
      "cc.last_success_at as credential_last_success_at",
      "cc.verifying_since as credential_verifying_since",
      "cc.reverify_every_hours as credential_reverify_every_hours",
      "cc.next_check_at as credential_next_check_at",
    ])
    .where("secrets.environment_id", "=", environmentId);
}

// The SQL filter and rotationOf below implement the same rule; a test checks they agree.
/** Narrows a selectSecretsWithRotation query to one rotation state at `now`. */
export function whereRotationState<QB extends SelectQueryBuilder<any, any, any>>(q: QB, state: RotationState, now: Date): QB {
  const due = sql`secrets.last_rotated_at + d.rotation_days * interval '1 day'`;
  const soon = sql`${now}::timestamptz + d.reminder_days * interval '1 day'`;
  switch (state) {
    case "no_value":
      return q.where(sql<boolean>`secrets.last_rotated_at is null`) as QB;
    case "overdue":
      return q.where(sql<boolean>`${due} <= ${now}::timestamptz`) as QB;
    case "due_soon":
      return q.where(sql<boolean>`${due} > ${now}::timestamptz and ${due} <= ${soon}`) as QB;
    case "ok":
      return q.where(sql<boolean>`${due} > ${soon}`) as QB;
  }
}

/** The rotation status of a secret at `now`: due rotationDays after its current version was written. */
export function rotationOf(row: { rotation_days: number; reminder_days?: number; last_rotated_at: Date | string | null }, now: Date) {
  if (row.last_rotated_at === null) return { state: "no_value" as RotationState, lastRotatedAt: null, dueAt: null, daysLeft: null };
  const last = new Date(row.last_rotated_at);
  const due = new Date(last.getTime() + row.rotation_days * DAY_MS);
  const left = due.getTime() - now.getTime();
  const state: RotationState = left <= 0 ? "overdue" : left <= (row.reminder_days ?? ROTATION_REMINDER_DAYS) * DAY_MS ? "due_soon" : "ok";
  // Whole days, rounded toward zero: -10 means ten full days overdue.
  return { state, lastRotatedAt: last, dueAt: due, daysLeft: Math.trunc(left / DAY_MS) || 0 };
}
