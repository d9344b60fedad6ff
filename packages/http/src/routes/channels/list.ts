import { listChannels } from "@keyward/db";
import type { ChannelList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { toChannel } from "./map.js";

export const listChannelsRoute: RouteHandler<"listChannels"> = async (ctx) => {
  const body: ChannelList = { items: (await listChannels(ctx.deps.db)).map(toChannel) };
  sendJson(ctx.res, 200, body);
};
