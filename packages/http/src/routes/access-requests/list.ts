import { routeEnvironment } from "../../environment.js";
import { listAccessRequests } from "@keyward/db";
import type { AccessRequestList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toAccessRequest } from "../../mappers.js";
import { sendJson } from "../../problem.js";

export const listAccessRequestsRoute: RouteHandler<"listAccessRequests"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const { status, service, secret, limit, cursor } = ctx.query;
  const page = await listAccessRequests(ctx.deps.db, { environmentId: env.id, status, serviceName: service, secretName: secret, limit, cursor });
  const body: AccessRequestList = { items: page.items.map((r) => toAccessRequest(r, env.name)), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
