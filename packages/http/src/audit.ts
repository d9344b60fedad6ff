import type { RouteContext } from "./context.js";

/** One audit row per admin change (or refusal), committed before the response; one log line, never a value. */
export async function auditAdmin(ctx: RouteContext, entry: { action: string; target: string; result: "ok" | "refused"; reason?: string }): Promise<void> {
  const ua = ctx.req.headers["user-agent"];
  const actor = ctx.principal?.actor ?? "anonymous";
  await ctx.audit.append({
    at: ctx.deps.clock.now(),
    actor_type: ctx.principal?.via === "oidc" ? "oidc" : "admin",
    actor_id: actor,
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ?? null,
    ip: ctx.req.socket.remoteAddress ?? null,
    user_agent: typeof ua === "string" ? ua.slice(0, 256) : null,
    request_id: ctx.requestId,
  });
  ctx.deps.logger.info({ requestId: ctx.requestId, actor, ...entry }, "admin action");
}
