import { deleteChannel } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { sendNoContent } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";
import { channelNotFound } from "./map.js";

export const deleteChannelRoute: RouteHandler<"deleteChannel"> = async (ctx) => {
  assertUnscoped(ctx.principal, "remove a notification channel");
  const name = ctx.path.name;
  const deleted = await auditedChange(ctx, async (trx, audit) => {
    const ok = await deleteChannel(trx, name);
    if (ok) audit({ action: "channel.delete", target: `channel:${name}`, result: "ok" });
    return ok;
  });
  if (!deleted) throw channelNotFound(name);
  sendNoContent(ctx.res);
};
