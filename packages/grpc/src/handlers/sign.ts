import { formatSignature, signingPublicKey, signPayload, type SigningAlgorithm } from "@keyward/common";
import { SigningAlgorithm as ProtoAlgorithm, type SignRequest, type SignResponse } from "@keyward/proto";
import { resolveSigningKey } from "../access/resolve-signing-key.js";
import { authorizeCaller, callGone } from "../caller.js";
import { safeLabel } from "../labels.js";
import { unaryRpc, type RpcOutcome } from "../rpc.js";
import type { GrpcRuntime } from "../runtime.js";

export const SIGN_ACTION = "signing_key.sign";

/** The proto's enum value of an algorithm. */
export const protoAlgorithm = (algorithm: SigningAlgorithm): ProtoAlgorithm => (algorithm === "ed25519" ? ProtoAlgorithm.SIGNING_ALGORITHM_ED25519 : ProtoAlgorithm.SIGNING_ALGORITHM_HMAC_SHA256);

/**
 * Sign (issue #16): the payload signed with the current version of the named key. Audited like a
 * read (target `signing_key:<name>/v<version>`), never with the payload or signature.
 */
export function signHandler(rt: GrpcRuntime) {
  return unaryRpc<SignRequest, SignResponse>(rt, "Sign", async (call): Promise<RpcOutcome<SignResponse>> => {
    const { payload, purpose } = call.request;
    const caller = await authorizeCaller(rt, call);
    const environment = caller.kind === "ok" ? caller.token.environment : undefined;
    const audit = (actorId: string, result: string, reason?: string, version?: number) =>
      rt.audit.record(call, { actorId, action: SIGN_ACTION, target: `signing_key:${safeLabel(purpose)}${version ? `/v${version}` : ""}`, result, reason, environment });
    if (caller.kind === "refused") {
      await audit(caller.actorId, "refused", caller.reason);
      return { kind: "refused", actor: caller.actorId, refusal: caller };
    }
    const outcome = await resolveSigningKey(rt, { call, caller, purpose, payload, gone: () => callGone(call) });
    switch (outcome.kind) {
      case "cancelled":
        await audit(caller.actorId, "cancelled");
        return { kind: "cancelled", actor: caller.actorId };
      case "refused":
        await audit(caller.actorId, "refused", outcome.reason);
        return { kind: "refused", actor: caller.actorId, refusal: outcome };
      case "retired":
        // Only Verify names a version; the current one is never retired.
        throw new Error("the current version of a signing key read as retired");
      case "ok": {
        const signature = formatSignature(outcome.version, signPayload(outcome.algorithm, outcome.material, payload));
        await audit(caller.actorId, "ok", undefined, outcome.version);
        return {
          kind: "ok",
          actor: caller.actorId,
          response: { signature, algorithm: protoAlgorithm(outcome.algorithm), keyVersion: outcome.version, publicKey: signingPublicKey(outcome.algorithm, outcome.material) ?? "" },
        };
      }
    }
  });
}
