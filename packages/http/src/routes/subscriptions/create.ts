import { createSubscription, getChannelByName, listEnvironments } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";
import { channelNotFound, toSubscription } from "../channels/map.js";

/** Routes event types (all when none) in environments (all when none, else names that exist) to a channel. */
export const createSubscriptionRoute: RouteHandler<"createSubscription"> = async (ctx) => {
  assertUnscoped(ctx.principal, "route notifications");
  const { channel: name, eventTypes = [], environments = [] } = ctx.body;
  if (environments.length > 0) {
    const known = new Set((await listEnvironments(ctx.deps.db)).map((e) => e.name));
    const unknown = environments.find((n) => !known.has(n));
    if (unknown !== undefined) throw new HttpProblem(400, "Unknown environment", `no environment named ${unknown}`, "environments");
  }
  const sub = await auditedChange(ctx, async (trx, audit) => {
    const channel = await getChannelByName(trx, name);
    if (!channel) return undefined;
    const created = await createSubscription(trx, { channelId: channel.id, eventTypes, environments, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit({ action: "channel.subscribe", target: `channel:${name}`, result: "ok", reason: `${eventTypes.join(",") || "every event"} in ${environments.join(",") || "every environment"}` });
    return { ...created, channel_name: name };
  });
  if (!sub) throw channelNotFound(name);
  sendJson(ctx.res, 201, toSubscription(sub));
};
