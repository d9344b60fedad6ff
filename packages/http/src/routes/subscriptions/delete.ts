import { deleteSubscription } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendNoContent } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";

export const deleteSubscriptionRoute: RouteHandler<"deleteSubscription"> = async (ctx) => {
  assertUnscoped(ctx.principal, "route notifications");
  const id = ctx.path.id;
  const removed = await auditedChange(ctx, async (trx, audit) => {
    const sub = await deleteSubscription(trx, id);
    if (sub) audit({ action: "channel.unsubscribe", target: `channel:${sub.channel_name}`, result: "ok", reason: id });
    return sub;
  });
  if (!removed) throw new HttpProblem(404, "Subscription not found", `no subscription ${id}`, "id");
  sendNoContent(ctx.res);
};
