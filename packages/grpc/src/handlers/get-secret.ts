import { status, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { assertNever, secretNameProblem } from "@keyward/common";
import { createSecretStub, ensureAccessRequest, getSecretByName, readSecretValue, recordAccessRequestUse, recordServiceTokenUse } from "@keyward/db";
import type { GetSecretRequest, GetSecretResponse } from "@keyward/proto";
import { auditCall } from "../audit.js";
import { authenticate } from "../auth.js";
import type { GrpcDeps } from "../deps.js";
import { grpcError, type Reason } from "../status.js";

const ACTION = "secret.read";

/**
 * GetSecret (seed 003): authenticate the token; a missing secret becomes a stub (NOT_FOUND);
 * without a grant an access request is recorded once (PERMISSION_DENIED); else the value.
 * Every outcome writes its audit row before the call answers.
 */
export function getSecretHandler(deps: GrpcDeps) {
  return async (call: ServerUnaryCall<GetSecretRequest, GetSecretResponse>, callback: sendUnaryData<GetSecretResponse>) => {
    const name = call.request.name;
    const target = `secret:${name.slice(0, 128)}`;
    const refuse = async (actorId: string, code: status, reason: Reason, message: string) => {
      await auditCall(deps, call, { actorId, action: ACTION, target, result: "refused", reason });
      callback(grpcError(code, reason, message));
    };

    const auth = await authenticate(deps.db, call.metadata);
    switch (auth.kind) {
      case "missing":
        return refuse("(none)", status.UNAUTHENTICATED, "token_missing", "send the service token as authorization: Bearer <token>");
      case "malformed":
        return refuse("(none)", status.UNAUTHENTICATED, "token_malformed", auth.problem);
      case "unknown":
        return refuse("(unknown)", status.UNAUTHENTICATED, "token_unknown", "this token is not registered; call RegisterToken first");
      case "ok":
        break;
      default:
        return assertNever(auth, "auth result");
    }
    const token = auth.token;
    const actorId = `${token.service_name}#${token.id}`;
    if (token.status === "pending") return refuse(actorId, status.PERMISSION_DENIED, "token_pending", "this service token is waiting for an admin's approval");
    if (token.status === "revoked") return refuse(actorId, status.PERMISSION_DENIED, "token_revoked", "this service token was revoked by an admin");

    const problem = secretNameProblem(name);
    if (problem) return refuse(actorId, status.INVALID_ARGUMENT, "invalid_name", `name: ${problem}`);

    const now = deps.clock.now();
    const secret = await getSecretByName(deps.db, name);
    if (!secret) {
      await createSecretStub(deps.db, { name, description: call.request.description.slice(0, 1000), requestedBy: actorId, at: now });
      await ensureAccessRequest(deps.db, { secretName: name, serviceName: token.service_name, at: now });
      return refuse(actorId, status.NOT_FOUND, "secret_missing", `secret ${name} does not exist yet; it was recorded for an admin to fill`);
    }
    const { request } = await ensureAccessRequest(deps.db, { secretName: name, serviceName: token.service_name, at: now });
    switch (request.status) {
      case "granted":
        break;
      case "pending":
        return refuse(actorId, status.PERMISSION_DENIED, "access_pending", `access to ${name} is waiting for an admin's approval`);
      case "denied":
        return refuse(actorId, status.PERMISSION_DENIED, "access_denied", `an admin denied this service access to ${name}`);
      case "revoked":
        return refuse(actorId, status.PERMISSION_DENIED, "access_revoked", `an admin revoked this service's access to ${name}`);
      default:
        return assertNever(request.status, "access status");
    }

    const read = await readSecretValue(deps.db, deps.envelope, name);
    switch (read.kind) {
      case "ok":
        break;
      case "no_value":
        return refuse(actorId, status.NOT_FOUND, "secret_no_value", `secret ${name} has no value yet`);
      case "disabled":
        return refuse(actorId, status.FAILED_PRECONDITION, "secret_disabled", `secret ${name} is disabled`);
      case "not_found":
        return refuse(actorId, status.NOT_FOUND, "secret_missing", `secret ${name} does not exist`);
      default:
        return assertNever(read, "read result");
    }
    await recordServiceTokenUse(deps.db, token.id, now);
    await recordAccessRequestUse(deps.db, request.id, now);
    await auditCall(deps, call, { actorId, action: ACTION, target, result: "ok" });
    callback(null, { name, value: read.value, version: read.version });
  };
}
