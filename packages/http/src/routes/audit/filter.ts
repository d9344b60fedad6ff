import type { AuditFilter } from "@keyward/db";
import type { RouteContext } from "../../context.js";
import { HttpProblem } from "../../problem.js";

/** The audit filters shared by list and export, from their validated query. */
export function auditFilterOf(ctx: RouteContext<"listAudit" | "exportAudit">): AuditFilter {
  const { action, actor, result, from, to } = ctx.query;
  const filter: AuditFilter = { action, actorId: actor, result };
  if (from !== undefined) filter.from = new Date(from);
  if (to !== undefined) filter.to = new Date(to);
  if (filter.from && filter.to && filter.from >= filter.to) throw new HttpProblem(400, "Invalid query parameter", "from must be before to", "from");
  return filter;
}
