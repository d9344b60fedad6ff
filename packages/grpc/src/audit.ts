import type { ServerUnaryCall } from "@grpc/grpc-js";
import { appendAudit } from "@keyward/db";
import type { GrpcDeps } from "./deps.js";

/** Writes the audit row for a call (durable before the call answers) and one log line, never a value. */
export async function auditCall(
  deps: GrpcDeps,
  call: ServerUnaryCall<unknown, unknown>,
  entry: { actorId: string; action: string; target: string; result: string; reason?: string },
): Promise<void> {
  const userAgent = call.metadata.get("user-agent")[0];
  const requestId = call.metadata.get("x-request-id")[0];
  await appendAudit(deps.db, deps.auditKey, {
    at: deps.clock.now(),
    actor_type: "service",
    actor_id: entry.actorId,
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ?? null,
    ip: call.getPeer(),
    user_agent: typeof userAgent === "string" ? userAgent.slice(0, 256) : null,
    request_id: typeof requestId === "string" ? requestId.slice(0, 128) : null,
  });
  deps.logger.info({ actor: entry.actorId, action: entry.action, target: entry.target, result: entry.result, reason: entry.reason }, "grpc call");
}
