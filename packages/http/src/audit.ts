import { appendAudit } from "@keyward/db";
import type { RouteContext } from "./context.js";

/** One audit row per admin change, durable before the response; one log line without values. */
export async function auditAdmin(ctx: RouteContext, entry: { action: string; target: string; result: string; reason?: string }): Promise<void> {
  const ua = ctx.req.headers["user-agent"];
  await appendAudit(ctx.deps.db, ctx.deps.auditKey, {
    at: ctx.deps.clock.now(),
    actor_type: "admin",
    actor_id: `${ctx.admin.name}#${ctx.admin.id}`,
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ?? null,
    ip: ctx.req.socket.remoteAddress ?? null,
    user_agent: typeof ua === "string" ? ua.slice(0, 256) : null,
    request_id: ctx.requestId,
  });
  ctx.deps.logger.info({ requestId: ctx.requestId, actor: ctx.admin.id, ...entry }, "admin action");
}
