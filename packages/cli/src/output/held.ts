import type { ChangeRequest } from "@keyward/spec";

/** What a person reads when a protected environment held a change (HTTP 202) instead of applying it. */
export function heldMessage(request: ChangeRequest): string {
  const approvers = request.approvalsRequired === 1 ? "a second approver" : `${request.approvalsRequired} more approvers`;
  return `held for ${approvers}: change request ${request.id} (${request.environment} is protected; expires ${request.expiresAt})`;
}
