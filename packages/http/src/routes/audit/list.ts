import { listAudit } from "@keyward/db";
import type { AuditList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toAuditEntry } from "../../mappers.js";
import { sendJson } from "../../problem.js";
import { auditFilterOf } from "./filter.js";

export const listAuditRoute: RouteHandler<"listAudit"> = async (ctx) => {
  const page = await listAudit(ctx.deps.db, { ...(await auditFilterOf(ctx)), limit: ctx.query.limit ?? 100, cursor: ctx.query.cursor });
  const body: AuditList = { items: page.items.map(toAuditEntry), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
