import { status } from "@grpc/grpc-js";
import { serviceNameProblem, textProblem } from "@keyward/common";
import { getEnvironmentByName, isEnvironmentName, isServiceTokenExpired, serviceTokenExpiresAt, type Environment, type ServiceToken } from "@keyward/db";
import { TokenStatus, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { recordToken } from "../access/record-token.js";
import { admitCaller, identityMismatch, rateLimited, type Refusal } from "../caller.js";
import { identityProblem, registrationIdentity } from "../identity.js";
import { safeLabel } from "../labels.js";
import { unaryRpc, type RpcOutcome } from "../rpc.js";
import type { GrpcRuntime } from "../runtime.js";

/** Where a token stands as RegisterToken reports it: an approved token past its expiry is "expired". */
type ReportedStatus = ServiceToken["status"] | "expired";

const statusOf: Record<ReportedStatus, TokenStatus> = {
  pending: TokenStatus.TOKEN_STATUS_PENDING,
  approved: TokenStatus.TOKEN_STATUS_APPROVED,
  revoked: TokenStatus.TOKEN_STATUS_REVOKED,
  expired: TokenStatus.TOKEN_STATUS_EXPIRED,
};
const messageOf: Record<ReportedStatus, string> = {
  pending: "token registered; waiting for an admin to approve it",
  approved: "token approved",
  revoked: "token revoked by an admin; generate a new token and register it",
  expired: "token expired; an admin must extend it or issue a new token",
};
export const REGISTER_ACTION = "token.register";
const ACTION = REGISTER_ACTION;

/**
 * RegisterToken: stores the token's hash as pending (idempotent) and reports where it stands. An
 * approved token whose expires_at has passed (against the injected clock, as for the secret-reading
 * RPCs) is reported as EXPIRED; registering never changes a stored token, so an expired one stays
 * expired until an admin extends it. The expiry, when set, travels in expires_at.
 *
 * Environments (issue #13): a new token is bound to the environment the request names (the
 * default when empty) for life. A known token named with another environment is refused
 * (FAILED_PRECONDITION environment_mismatch), and an environment the instance does not have
 * (INVALID_ARGUMENT unknown_environment); an empty one accepts the token's own.
 */
export function registerTokenHandler(rt: GrpcRuntime) {
  return unaryRpc<RegisterTokenRequest, RegisterTokenResponse>(rt, "RegisterToken", async (call): Promise<RpcOutcome<RegisterTokenResponse>> => {
    const refuse = async (refusal: Refusal, actor = "(none)"): Promise<RpcOutcome<RegisterTokenResponse>> => {
      await rt.audit.record(call, { actorId: actor, action: ACTION, target: "token", result: "refused", reason: refusal.reason });
      return { kind: "refused", actor, refusal };
    };
    // Before the token is known: limited per client address (a flood of made-up tokens).
    const admitted = admitCaller(rt, call);
    if (admitted.kind === "refused") return refuse(admitted.refusal);
    if (!rt.peerLimiter.take(admitted.peer)) return refuse(rateLimited(), "(limited)");
    const serviceName = call.request.serviceName;
    const problem = serviceNameProblem(serviceName);
    if (problem) return refuse({ code: status.INVALID_ARGUMENT, reason: "invalid_argument", message: `service_name: ${problem}` });
    const versionProblem = textProblem(call.request.serviceVersion);
    if (versionProblem) return refuse({ code: status.INVALID_ARGUMENT, reason: "invalid_argument", message: `service_version: ${versionProblem}` });
    const mismatch = rt.options.strictIdentity ? identityProblem(call, serviceName) : undefined;
    if (mismatch) return refuse(identityMismatch(mismatch));
    const named = call.request.environment;
    let environment: Environment | undefined;
    if (named !== "") {
      environment = isEnvironmentName(named) ? await getEnvironmentByName(rt.deps.db, named) : undefined;
      if (!environment) return refuse({ code: status.INVALID_ARGUMENT, reason: "unknown_environment", message: `environment: this instance has no environment named "${safeLabel(named, 64)}"` });
    }
    const recorded = await recordToken(rt, call, { tokenHash: admitted.tokenHash, serviceName, serviceVersion: call.request.serviceVersion.slice(0, 64), identity: registrationIdentity(call), environment });
    if (recorded.kind === "mismatch") {
      const message = `this token is bound to environment ${recorded.bound}, not ${named}; a token belongs to one environment: generate a new token for ${named}`;
      return refuse({ code: status.FAILED_PRECONDITION, reason: "environment_mismatch", message }, `${recorded.token.service_name}#${recorded.token.id}`);
    }
    if (recorded.kind === "limit") {
      const whose = recorded.scope === "service" ? `service ${serviceName}` : "this address";
      return refuse({ code: status.RESOURCE_EXHAUSTED, reason: "pending_limit", message: `${whose} already has ${recorded.max} tokens waiting for approval; an admin must approve or revoke some first` });
    }
    const { token, created } = recorded;
    const actor = `${serviceName}#${token.id}`;
    const expired = token.status === "approved" && isServiceTokenExpired(token, rt.deps.clock.now());
    const reported: ReportedStatus = expired ? "expired" : token.status;
    // An expired token's row also says why.
    if (!created) await rt.audit.record(call, { actorId: actor, action: ACTION, target: `token:${token.id}`, result: token.status, environment: recorded.environment, ...(expired ? { reason: "token_expired" } : {}) });
    const expiresAt = token.status === "approved" ? serviceTokenExpiresAt(token) : undefined;
    return { kind: "ok", actor, response: { status: statusOf[reported], message: messageOf[reported], expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt) } };
  });
}
