import { assertNever } from "@keyward/common";
import { approveChangeRequest, rejectChangeRequest } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertInScope } from "../../scope.js";
import { applyChangeRequest } from "../../change-requests/apply.js";
import { environmentNameOf } from "../../change-requests/environment.js";
import { toChangeRequest } from "../../change-requests/map.js";
import { changeRequestNotFound } from "./get.js";

/**
 * approveChangeRequest and rejectChangeRequest. The last approval needed applies the change in the
 * same transaction as the approval and both audit rows; the requester (same key, same OIDC subject,
 * or another key of the same owner) can never approve their own request.
 */
export const decideChangeRequestRoute =
  <O extends "approveChangeRequest" | "rejectChangeRequest">(decision: "approve" | "reject"): RouteHandler<O> =>
  async (ctx) => {
    const id = ctx.path.id;
    const caller = callerOf(ctx);
    const at = ctx.deps.clock.now();
    const target = `change_request:${id}`;
    const action = `change_request.${decision}`;
    const outcome = await auditedChange(ctx, async (trx, audit) => {
      const row = await trx.selectFrom("change_requests").select("environment_id").where("id", "=", id).executeTakeFirst();
      if (!row) return { kind: "not_found" } as const;
      const environment = await environmentNameOf(trx, row.environment_id);
      assertInScope(ctx.principal, environment);
      if (decision === "reject") {
        const r = await rejectChangeRequest(trx, { id, actor: caller.actor, at });
        if (r.kind === "ok") audit({ action, target, result: "ok", environment });
        if (r.kind === "expired") audit({ action: "change_request.expire", target, result: "ok", environment });
        return { ...r, environment };
      }
      const r = await approveChangeRequest(trx, { id, actor: caller.actor, owner: caller.owner ?? null, at });
      switch (r.kind) {
        case "ok": {
          audit({ action, target, result: "ok", reason: `${r.request.approvals.length} of ${r.request.approvals_required}`, environment });
          if (!r.ready) return { kind: "ok", request: r.request, environment } as const;
          const applied = await applyChangeRequest(trx, ctx.deps.envelope, r.request, { environmentId: row.environment_id, environment, at, check: ctx.checkValue }, audit);
          audit({ action: "change_request.apply", target, result: "ok", reason: `${r.request.kind} ${r.request.target}`, environment });
          return { kind: "ok", request: applied, environment } as const;
        }
        case "expired":
          audit({ action: "change_request.expire", target, result: "ok", environment });
          return { ...r, environment };
        case "self_approval":
        case "already_approved":
          audit({ action, target, result: "refused", reason: r.kind, environment });
          return { ...r, environment };
        default:
          return { ...r, environment };
      }
    });
    switch (outcome.kind) {
      case "ok":
        return sendJson(ctx.res, 200, toChangeRequest(outcome.request, outcome.environment));
      case "not_found":
        throw changeRequestNotFound(id);
      case "expired":
        throw new HttpProblem(409, "Change request expired", `change request ${id} expired at ${new Date(outcome.request.expires_at).toISOString()}; its value was destroyed`, "id");
      case "not_pending":
        throw new HttpProblem(409, "Change request decided", `change request ${id} is ${outcome.status}`, "id");
      case "self_approval":
        throw new HttpProblem(403, "Self-approval refused", "the requester cannot approve their own change request, with this key, another key of the same owner or the same sign-in", "id");
      case "already_approved":
        throw new HttpProblem(409, "Already approved", "this person has approved this change request already; another person must approve it", "id");
      default:
        return assertNever(outcome, "change request decision");
    }
  };
