import { getEnvironmentByName, type AuditFilter } from "@keyward/db";
import type { RouteContext } from "../../context.js";
import { HttpProblem } from "../../problem.js";

/** The audit filters shared by list and export, from their validated query. */
export async function auditFilterOf(ctx: RouteContext<"listAudit" | "exportAudit">): Promise<AuditFilter> {
  const { action, actor, result, from, to, environment } = ctx.query;
  const filter: AuditFilter = { action, actorId: actor, result };
  if (from !== undefined) filter.from = new Date(from);
  if (to !== undefined) filter.to = new Date(to);
  if (filter.from && filter.to && filter.from >= filter.to) throw new HttpProblem(400, "Invalid query parameter", "from must be before to", "from");
  // Audit is history: a name no environment has now (deleted, renamed) still matches the rows written with it.
  if (environment !== undefined) filter.environment = { name: environment, legacy: (await getEnvironmentByName(ctx.deps.db, environment))?.legacy ?? false };
  return filter;
}
