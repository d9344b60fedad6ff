import { createTestDelivery, getChannelByName, getDeliveryWithEvent } from "@keyward/db";
import { sendTestDelivery } from "@keyward/notify";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { assertUnscoped } from "../../scope.js";
import { channelNotFound, toDelivery } from "./map.js";

/** How long the route holds its test delivery before the delivery worker may send it instead. */
const TEST_CLAIM_MS = 60_000;

/**
 * "Send a test": the request and its audit row commit first (with a claimed delivery), then the
 * message goes out at once, and the answer is the delivery as recorded: delivered, or dead with
 * the error text (never a credential). A disabled channel can be tested: that is how it is checked
 * before it is turned on.
 */
export const testChannelRoute: RouteHandler<"testChannel"> = async (ctx) => {
  assertUnscoped(ctx.principal, "test a notification channel");
  const name = ctx.path.name;
  const actor = callerOf(ctx).actor;
  const deliveryId = await auditedChange(ctx, async (trx, audit) => {
    const channel = await getChannelByName(trx, name);
    if (!channel) return undefined;
    const id = await createTestDelivery(trx, { channelId: channel.id, channelName: name, actor, claimMs: TEST_CLAIM_MS });
    audit({ action: "channel.test", target: `channel:${name}`, result: "ok", reason: id });
    return { id };
  });
  if (!deliveryId) throw channelNotFound(name);
  await sendTestDelivery({ db: ctx.deps.db, envelope: ctx.deps.envelope, consoleBaseUrl: ctx.deps.consoleBaseUrl?.() ?? "http://127.0.0.1:8080", clock: ctx.deps.clock }, deliveryId.id);
  // Read back with its event, the shape every delivery is listed in.
  sendJson(ctx.res, 200, toDelivery((await getDeliveryWithEvent(ctx.deps.db, deliveryId.id))!));
};
