import type { GetSecretRequest, GetSecretResponse } from "@keyward/proto";
import { resolveSecret } from "../access/resolve-secret.js";
import { safeLabel } from "../labels.js";
import { authorizeCaller, callGone } from "../caller.js";
import { unaryRpc, type RpcOutcome } from "../rpc.js";
import type { GrpcRuntime } from "../runtime.js";

export const SECRET_READ_ACTION = "secret.read";

/**
 * GetSecret (seed 003): one name, answered with its value or a status and `keyward-reason`.
 * Every outcome writes its audit row before the call answers.
 */
export function getSecretHandler(rt: GrpcRuntime) {
  return unaryRpc<GetSecretRequest, GetSecretResponse>(rt, "GetSecret", async (call): Promise<RpcOutcome<GetSecretResponse>> => {
    const { name, description, policy } = call.request;
    const target = `secret:${safeLabel(name)}`;
    const caller = await authorizeCaller(rt, call);
    const environment = caller.kind === "ok" ? caller.token.environment : undefined;
    const audit = (actorId: string, result: string, reason?: string, versions?: number[]) =>
      rt.audit.record(call, { actorId, action: SECRET_READ_ACTION, target, result, reason, environment, ...(versions ? { foldable: { versions } } : {}) });
    if (caller.kind === "refused") {
      await audit(caller.actorId, "refused", caller.reason, []);
      return { kind: "refused", actor: caller.actorId, refusal: caller };
    }
    const outcome = await resolveSecret(rt, { call, caller, name, description, policy, gone: () => callGone(call) });
    switch (outcome.kind) {
      case "cancelled":
        await audit(caller.actorId, "cancelled");
        return { kind: "cancelled", actor: caller.actorId };
      case "refused":
        await audit(caller.actorId, "refused", outcome.reason, []);
        return { kind: "refused", actor: caller.actorId, refusal: outcome };
      case "ok":
        // The row is durable before the value leaves (group commit keeps this cheap); with
        // auditFoldReadsMs, an identical earlier read's row in this window is (see read-fold.ts).
        await audit(caller.actorId, "ok", undefined, [outcome.version]);
        return { kind: "ok", actor: caller.actorId, response: { name, value: outcome.value, version: outcome.version } };
    }
  });
}
