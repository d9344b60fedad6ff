import { AdminApiError, unwrap, unwrapChange } from "@keyward/admin-client";
import type { ChangeRequest } from "@keyward/spec";
import type { Session } from "../admin/session.js";
import { heldMessage } from "../output/held.js";
import { itemSummary, type PendingItem } from "./pending.js";

export type Decision = "approve" | "deny";

/** What became of one decision: applied, held by a protected environment, or refused by the service. */
export type DecisionResult =
  | { id: string; kind: PendingItem["kind"]; outcome: "approved" | "denied" | "revoked"; message: string }
  | { id: string; kind: PendingItem["kind"]; outcome: "held"; changeRequest: ChangeRequest; message: string }
  | { id: string; kind: PendingItem["kind"]; outcome: "failed"; status: number; message: string };

/**
 * Approves or denies one pending item in its own environment (a token is approved with the
 * environment it is bound to, as the route requires). Denying a token revokes it. A 202 is "held";
 * a refusal is "failed" with the service's reason, except 401/403, which stop the whole run.
 */
export async function decide(session: Session, item: PendingItem, decision: Decision): Promise<DecisionResult> {
  const what = itemSummary(item);
  const base = { id: item.id, kind: item.kind };
  try {
    if (item.kind === "token") {
      const params = { params: { path: { id: item.id }, query: { environment: item.token.environment } } };
      if (decision === "deny") {
        await unwrap(session.admin.POST("/api/service-tokens/{id}/revoke", params));
        return { ...base, outcome: "revoked", message: `revoked ${what} (${item.token.environment})` };
      }
      const outcome = await unwrapChange(session.admin.POST("/api/service-tokens/{id}/approve", params));
      if (outcome.kind === "held") return { ...base, outcome: "held", changeRequest: outcome.changeRequest, message: `${what}: ${heldMessage(outcome.changeRequest)}` };
      return { ...base, outcome: "approved", message: `approved ${what} (${item.token.environment})` };
    }
    const params = { params: { path: { id: item.id }, query: { environment: item.request.environment } } };
    if (decision === "deny") {
      await unwrap(session.admin.POST("/api/access-requests/{id}/deny", params));
      return { ...base, outcome: "denied", message: `denied: ${what} (${item.request.environment})` };
    }
    const outcome = await unwrapChange(session.admin.POST("/api/access-requests/{id}/approve", params));
    if (outcome.kind === "held") return { ...base, outcome: "held", changeRequest: outcome.changeRequest, message: `${what}: ${heldMessage(outcome.changeRequest)}` };
    return { ...base, outcome: "approved", message: `granted: ${what} (${item.request.environment})` };
  } catch (error) {
    if (error instanceof AdminApiError && error.status !== 401 && error.status !== 403) {
      return { ...base, outcome: "failed", status: error.status, message: `could not ${decision} ${what}: ${error.message}` };
    }
    throw error;
  }
}
