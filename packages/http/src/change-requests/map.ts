import type { ChangeRequest as Row } from "@keyward/db";
import type { ChangeRequest } from "@keyward/spec";

const iso = (d: Date | string) => new Date(d).toISOString();

/** The API shape of a change request: never its sealed value, only whether it holds one. */
export const toChangeRequest = (r: Row, environment: string): ChangeRequest => ({
  id: r.id,
  environment,
  kind: r.kind,
  target: r.target,
  payload: r.payload,
  status: r.status,
  requestedBy: r.requested_by,
  requestedByOwner: r.requested_by_owner,
  approvalsRequired: r.approvals_required,
  approvals: r.approvals,
  holdsValue: r.holdsValue,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  decidedAt: r.decided_at ? iso(r.decided_at) : null,
  decidedBy: r.decided_by,
});
