import { zeroCounts, type Environment as EnvironmentRow, type EnvironmentCounts } from "@keyward/db";
import type { UpdateEnvironmentRequest } from "@keyward/spec";
import type { Environment } from "@keyward/spec";
import { HttpProblem } from "../../problem.js";

/** An environment row as the spec shapes it, with what it holds. */
export const toEnvironment = (r: EnvironmentRow, counts: EnvironmentCounts | undefined): Environment => ({
  id: r.id,
  name: r.name,
  protected: r.protected,
  default: r.is_default,
  legacy: r.legacy,
  approvalsRequired: r.approvals_required,
  changeRequestTtlSeconds: r.change_request_ttl_seconds,
  createdAt: new Date(r.created_at).toISOString(),
  createdBy: r.created_by,
  counts: counts ?? zeroCounts(),
});

export const environmentNotFound = (name: string) => new HttpProblem(404, "Environment not found", `no environment named ${name}`, "name");

/** What deleting an environment takes with it, for problems and audit reasons. */
export const heldContents = (c: { values: number; tokens: number; grants: number }) => `${c.values} value(s), ${c.tokens} token(s), ${c.grants} grant(s)`;

/** What an update changed, for its audit row's reason ("no change" when nothing did). */
export function describeEnvironmentChange(before: EnvironmentRow, after: EnvironmentRow): string {
  const changes = [
    before.name !== after.name ? `renamed ${before.name} to ${after.name}` : "",
    before.protected !== after.protected ? (after.protected ? "protected" : "unprotected") : "",
    before.is_default !== after.is_default ? "made default" : "",
    before.approvals_required !== after.approvals_required ? `approvals required ${before.approvals_required} to ${after.approvals_required}` : "",
    before.change_request_ttl_seconds !== after.change_request_ttl_seconds ? `change request lifetime ${before.change_request_ttl_seconds}s to ${after.change_request_ttl_seconds}s` : "",
  ].filter(Boolean);
  return changes.join(", ") || "no change";
}

/**
 * The first field of a patch that would loosen a protected environment (turn protection off, fewer
 * approvals, a longer change-request lifetime), or undefined: such a patch is itself a change request.
 */
export function looseningField(env: EnvironmentRow, patch: UpdateEnvironmentRequest): "protected" | "approvalsRequired" | "changeRequestTtlSeconds" | undefined {
  if (!env.protected) return undefined;
  if (patch.protected === false) return "protected";
  if (patch.approvalsRequired !== undefined && patch.approvalsRequired < env.approvals_required) return "approvalsRequired";
  if (patch.changeRequestTtlSeconds !== undefined && patch.changeRequestTtlSeconds > env.change_request_ttl_seconds) return "changeRequestTtlSeconds";
  return undefined;
}
