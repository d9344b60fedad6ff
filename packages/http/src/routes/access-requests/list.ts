import { listAccessRequests } from "@keyward/db";
import type { AccessRequestList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toAccessRequest } from "../../mappers.js";
import { sendJson } from "../../problem.js";
import { enumParam } from "../../query-params.js";

export const listAccessRequestsRoute: RouteHandler = async (ctx) => {
  const status = enumParam(ctx.url, "status", ["pending", "granted", "denied", "revoked"] as const);
  const body: AccessRequestList = { items: (await listAccessRequests(ctx.deps.db, { status })).map(toAccessRequest) };
  sendJson(ctx.res, 200, body);
};
