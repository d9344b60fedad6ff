import { getChannelByName, listChannelDeliveries } from "@keyward/db";
import type { DeliveryList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { channelNotFound, toDelivery } from "./map.js";

export const listChannelDeliveriesRoute: RouteHandler<"listChannelDeliveries"> = async (ctx) => {
  const name = ctx.path.name;
  const channel = await getChannelByName(ctx.deps.db, name);
  if (!channel) throw channelNotFound(name);
  const { status, limit = 50, cursor } = ctx.query;
  const page = await listChannelDeliveries(ctx.deps.db, { channelId: channel.id, ...(status ? { status } : {}), limit, ...(cursor !== undefined ? { cursor } : {}) });
  const body: DeliveryList = { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
