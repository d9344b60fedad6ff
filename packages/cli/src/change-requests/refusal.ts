import { AdminApiError } from "@keyward/admin-client";
import type { ChangeRequest } from "@keyward/spec";
import { CliError, EXIT } from "../exit-codes.js";

export type ChangeDecision = "approve" | "reject";

/**
 * The one-line error for a refused approve or reject (exit 1), or undefined for a failure main
 * already reads well (a 401, a role's 403: exit 3). `current` reads the request again, to say when
 * it expired or who decided it; it may fail, then the service's own words are used.
 */
export async function decisionRefusal(error: unknown, id: string, decision: ChangeDecision, current: () => Promise<ChangeRequest>): Promise<CliError | undefined> {
  if (!(error instanceof AdminApiError)) return undefined;
  const { status, problem } = error;
  const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
  const fail = (message: string) => new CliError(message, EXIT.failed);
  if (status === 404) return fail(`no change request with id ${id}; see keyward change-requests list --status all`);
  // A role's 403 names `role` (or `environment` for a scoped key); the requester's own request names `id`.
  if (status === 403 && problem.field === "id") {
    return fail(`refused: change request ${id} was asked for by you (this key, another key of the same owner or the same sign-in), and nobody approves their own change; another person must approve it (or withdraw it: keyward change-requests reject ${id})`);
  }
  if (status !== 409) return undefined;
  const later = await current().catch(() => undefined);
  switch (problem.title) {
    case "Change request expired":
      return fail(`cannot ${decision} change request ${id}: it expired${later ? ` at ${later.expiresAt}` : ""}; nothing was changed (make the change again to open a new request)`);
    case "Change request decided": {
      const by = later?.decidedBy ? ` by ${later.decidedBy}` : "";
      const at = later?.decidedAt ? ` at ${later.decidedAt}` : "";
      return fail(later ? `cannot ${decision} change request ${id}: it was already ${later.status}${by}${at}` : `cannot ${decision} change request ${id}: ${detail}`);
    }
    case "Already approved":
      return fail(`you approved change request ${id} already; one person counts once, so another person must approve it`);
    case "Change cannot apply":
      return fail(`change request ${id} was not applied and your approval was not recorded: ${detail} (keyward change-requests reject ${id})`);
    default:
      return undefined;
  }
}
