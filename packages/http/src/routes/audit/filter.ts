import { getEnvironmentByName, type AuditFilter } from "@keyward/db";
import type { RouteContext } from "../../context.js";
import { HttpProblem } from "../../problem.js";
import { assertInScope } from "../../scope.js";

/** The audit filters shared by list and export, from their validated query. */
export async function auditFilterOf(ctx: RouteContext<"listAudit" | "exportAudit">): Promise<AuditFilter> {
  const { action, actor, result, from, to, environment } = ctx.query;
  const filter: AuditFilter = { action, actorId: actor, result };
  if (from !== undefined) filter.from = new Date(from);
  if (to !== undefined) filter.to = new Date(to);
  if (filter.from && filter.to && filter.from >= filter.to) throw new HttpProblem(400, "Invalid query parameter", "from must be before to", "from");
  const about = async (name: string) => ({ name, legacy: (await getEnvironmentByName(ctx.deps.db, name))?.legacy ?? false });
  // Audit is history: a name no environment has now (deleted, renamed) still matches the rows written with it.
  if (environment !== undefined) {
    assertInScope(ctx.principal, environment);
    filter.environment = await about(environment);
  }
  // A caller scoped to some environments reads their rows only, never instance-wide ones.
  const scope = ctx.principal?.environments;
  if (scope) filter.scope = await Promise.all(scope.map(about));
  return filter;
}
