import { createChannel, getChannelByName } from "@keyward/db";
import { channelProblem } from "@keyward/notify";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";
import { toChannel } from "./map.js";

/** Channels are instance-wide. The credentials are sealed in the transaction that writes the audit row, and never answered. */
export const createChannelRoute: RouteHandler<"createChannel"> = async (ctx) => {
  assertUnscoped(ctx.principal, "add a notification channel");
  const { name, kind, config, credentials } = ctx.body;
  const problem = channelProblem(kind, config, credentials as Record<string, string>);
  if (problem) throw new HttpProblem(400, "Invalid channel", problem.message, problem.field);
  const channel = await auditedChange(ctx, async (trx, audit) => {
    if (await getChannelByName(trx, name)) {
      audit({ action: "channel.create", target: `channel:${name}`, result: "refused", reason: "exists" });
      return undefined;
    }
    const created = await createChannel(trx, ctx.deps.envelope, { name, kind, config, credentials: credentials as Record<string, string>, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit({ action: "channel.create", target: `channel:${name}`, result: "ok", reason: kind });
    return created;
  });
  if (!channel) throw new HttpProblem(409, "Channel exists", `a channel named ${name} already exists`, "name");
  sendJson(ctx.res, 201, toChannel(channel));
};
