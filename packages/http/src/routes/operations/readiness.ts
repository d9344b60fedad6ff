import { sql } from "kysely";
import type { Readiness } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

/** Ready when the database answers a trivial query and every check from deps.readiness is "ok". */
export const getReadinessRoute: RouteHandler<"getReadiness"> = async (ctx) => {
  let reachable = true;
  try {
    await sql`select 1`.execute(ctx.deps.db);
  } catch (error) {
    reachable = false;
    ctx.deps.logger.warn({ requestId: ctx.requestId, err: error instanceof Error ? error.message : String(error) }, "readiness: database unreachable");
  }
  const others = ctx.deps.readiness?.() ?? {};
  const ready = reachable && Object.values(others).every((check) => check === "ok");
  const body: Readiness = { status: ready ? "ready" : "not_ready", checks: { database: reachable ? "ok" : "unreachable", ...others } };
  sendJson(ctx.res, ready ? 200 : 503, body);
};
