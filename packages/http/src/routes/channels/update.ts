import { getChannelByName, updateChannel } from "@keyward/db";
import { channelProblem } from "@keyward/notify";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";
import { channelNotFound, toChannel } from "./map.js";

/** Enable/disable, new settings, or new credentials (replaced whole, re-sealed under the next version). */
export const updateChannelRoute: RouteHandler<"updateChannel"> = async (ctx) => {
  assertUnscoped(ctx.principal, "change a notification channel");
  const name = ctx.path.name;
  const { enabled, config, credentials } = ctx.body;
  const channel = await auditedChange(ctx, async (trx, audit) => {
    const before = await getChannelByName(trx, name);
    if (!before) return undefined;
    const problem = channelProblem(before.kind, config ?? (before.config as Record<string, unknown>), credentials as Record<string, string> | undefined);
    if (problem) throw new HttpProblem(400, "Invalid channel", problem.message, problem.field);
    const updated = await updateChannel(trx, ctx.deps.envelope, { name, enabled, config, credentials: credentials as Record<string, string> | undefined });
    // Deleted since the read above: nothing changed, so nothing to audit.
    if (!updated) return undefined;
    const changed = [enabled === undefined ? "" : enabled ? "enabled" : "disabled", config ? "settings" : "", credentials ? "credentials replaced" : ""].filter(Boolean).join(", ");
    audit({ action: "channel.update", target: `channel:${name}`, result: "ok", reason: changed });
    return updated;
  });
  if (!channel) throw channelNotFound(name);
  sendJson(ctx.res, 200, toChannel(channel));
};
