import { expireChangeRequests, getChangeRequest } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { environmentNameOf } from "../../change-requests/environment.js";
import { toChangeRequest } from "../../change-requests/map.js";

export const changeRequestNotFound = (id: string) => new HttpProblem(404, "Change request not found", `no change request with id ${id}`, "id");

/** One change request; a pending one past its expiry is marked expired (value destroyed, audited) first. */
export const getChangeRequestRoute: RouteHandler<"getChangeRequest"> = async (ctx) => {
  const id = ctx.path.id;
  await auditedChange(ctx, async (trx, audit) => {
    for (const r of await expireChangeRequests(trx, { now: ctx.deps.clock.now(), id })) {
      audit({ action: "change_request.expire", target: `change_request:${r.id}`, result: "ok", environment: await environmentNameOf(trx, r.environment_id) });
    }
  });
  const request = await getChangeRequest(ctx.deps.db, id);
  if (!request) throw changeRequestNotFound(id);
  sendJson(ctx.res, 200, toChangeRequest(request, await environmentNameOf(ctx.deps.db, request.environment_id)));
};
