import { listSubscriptions } from "@keyward/db";
import type { SubscriptionList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { toSubscription } from "../channels/map.js";

export const listSubscriptionsRoute: RouteHandler<"listSubscriptions"> = async (ctx) => {
  const body: SubscriptionList = { items: (await listSubscriptions(ctx.deps.db)).map(toSubscription) };
  sendJson(ctx.res, 200, body);
};
