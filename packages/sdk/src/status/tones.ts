import type { AccessStatus, AdminRole, ChangeRequestStatus, CredentialState, Delivery, Job, RotationState, SecretStatus, TokenStatus } from "@keyward/spec";

/** The colour family a status is shown in; the badge always shows the status in words too. */
export type StatusTone = "ok" | "pending" | "warning" | "danger" | "info" | "neutral";

// Keyed by the spec's enums: a status added to the spec fails the build here until it has a tone.
const secret: Record<SecretStatus, StatusTone> = { active: "ok", stub: "pending", disabled: "danger" };
const token: Record<TokenStatus | "expired", StatusTone> = { pending: "pending", approved: "ok", revoked: "danger", expired: "warning" };
const access: Record<AccessStatus, StatusTone> = { pending: "pending", granted: "ok", denied: "danger", revoked: "danger" };
const rotation: Record<RotationState, StatusTone> = { no_value: "pending", ok: "ok", due_soon: "warning", overdue: "danger" };
// Whether a stored credential works (issue #17): a failing one is as loud as an overdue rotation.
const credential: Record<CredentialState, StatusTone> = { connected: "ok", verifying: "info", error: "danger", disabled: "neutral", untested: "neutral" };
const adminKey: Record<"active" | "revoked", StatusTone> = { active: "ok", revoked: "danger" };
const role: Record<AdminRole, StatusTone> = { owner: "info", admin: "info", operator: "neutral", viewer: "neutral", auditor: "neutral" };
// The audit log's result is free text in the spec; these are the ones the service writes.
const auditResult: Record<string, StatusTone> = { ok: "ok", created: "info", refused: "danger", mismatch: "warning" };
const chain: Record<"ok" | "broken" | "pending" | "error", StatusTone> = { ok: "ok", broken: "danger", pending: "info", error: "warning" };
// A secret's state in one environment (the matrix): a missing value is the loudest cell.
const cell: Record<"set" | "stub" | "missing" | "disabled", StatusTone> = { set: "ok", stub: "pending", missing: "danger", disabled: "neutral" };
// The flags an environment carries.
const environment: Record<"default" | "protected" | "legacy", StatusTone> = { default: "info", protected: "warning", legacy: "neutral" };

// A change request: waiting is pending, applied is done, a rejected or expired one never took effect.
const changeRequest: Record<ChangeRequestStatus, StatusTone> = { pending: "pending", approved: "info", applied: "ok", rejected: "danger", expired: "warning" };


// Whether an approval rule fires (an approving rule in an environment protected later does not).
const rule: Record<"active" | "inactive", StatusTone> = { active: "ok", inactive: "neutral" };

// Notifications: a delivery that gave up is dead; a job's last run; a channel switched off.
const delivery: Record<Delivery["status"], StatusTone> = { pending: "pending", delivered: "ok", dead: "danger" };
const job: Record<NonNullable<Job["lastStatus"]> | "never", StatusTone> = { ok: "ok", error: "danger", never: "neutral" };
const channel: Record<"enabled" | "disabled", StatusTone> = { enabled: "ok", disabled: "neutral" };

export const statusTones = { secret, token, access, rotation, credential, adminKey, role, auditResult, chain, cell, environment, changeRequest, rule, delivery, job, channel };
export type StatusKind = keyof typeof statusTones;

/** The tone of a status of the given kind; an unknown status is neutral. */
export function statusTone(kind: StatusKind, status: string): StatusTone {
  return (statusTones[kind] as Record<string, StatusTone>)[status] ?? "neutral";
}
