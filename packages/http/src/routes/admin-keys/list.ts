import { listAdminKeys } from "@keyward/db";
import type { AdminKeyList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toAdminKey } from "../../mappers.js";
import { sendJson } from "../../problem.js";

export const listAdminKeysRoute: RouteHandler<"listAdminKeys"> = async (ctx) => {
  const page = await listAdminKeys(ctx.deps.db, ctx.query);
  const body: AdminKeyList = { items: page.items.map(toAdminKey), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
