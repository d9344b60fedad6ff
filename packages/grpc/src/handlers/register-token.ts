import { status, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { hashToken, serviceNameProblem } from "@keyward/common";
import { registerServiceToken, type ServiceToken } from "@keyward/db";
import { TokenStatus, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { auditCall } from "../audit.js";
import { tokenFromMetadata } from "../auth.js";
import type { GrpcDeps } from "../deps.js";
import { grpcError } from "../status.js";

const statusOf: Record<ServiceToken["status"], TokenStatus> = {
  pending: TokenStatus.TOKEN_STATUS_PENDING,
  approved: TokenStatus.TOKEN_STATUS_APPROVED,
  revoked: TokenStatus.TOKEN_STATUS_REVOKED,
};
const messageOf: Record<ServiceToken["status"], string> = {
  pending: "token registered; waiting for an admin to approve it",
  approved: "token approved",
  revoked: "token revoked by an admin; generate a new token and register it",
};

export function registerTokenHandler(deps: GrpcDeps) {
  return async (call: ServerUnaryCall<RegisterTokenRequest, RegisterTokenResponse>, callback: sendUnaryData<RegisterTokenResponse>) => {
    const parsed = tokenFromMetadata(call.metadata);
    if (parsed.kind !== "ok") {
      await auditCall(deps, call, { actorId: "(none)", action: "token.register", target: "token", result: "refused", reason: parsed.kind === "missing" ? "token_missing" : "token_malformed" });
      return callback(
        parsed.kind === "missing"
          ? grpcError(status.UNAUTHENTICATED, "token_missing", "send the service token as authorization: Bearer <token>")
          : grpcError(status.UNAUTHENTICATED, "token_malformed", parsed.problem),
      );
    }
    const serviceName = call.request.serviceName;
    const problem = serviceNameProblem(serviceName);
    if (problem) {
      await auditCall(deps, call, { actorId: "(none)", action: "token.register", target: "token", result: "refused", reason: "invalid_argument" });
      return callback(grpcError(status.INVALID_ARGUMENT, "invalid_argument", `service_name: ${problem}`));
    }
    const { token, created } = await registerServiceToken(deps.db, {
      tokenHash: hashToken(parsed.token),
      serviceName,
      serviceVersion: call.request.serviceVersion.slice(0, 64),
      at: deps.clock.now(),
    });
    await auditCall(deps, call, { actorId: `${serviceName}#${token.id}`, action: "token.register", target: `token:${token.id}`, result: created ? "created" : token.status });
    callback(null, { status: statusOf[token.status], message: messageOf[token.status] });
  };
}
