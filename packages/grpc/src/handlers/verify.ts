import { parseSignature, signingPublicKey, verifyPayload } from "@keyward/common";
import type { VerifyRequest, VerifyResponse } from "@keyward/proto";
import { resolveSigningKey } from "../access/resolve-signing-key.js";
import { authorizeCaller, callGone } from "../caller.js";
import { safeLabel } from "../labels.js";
import { unaryRpc, type RpcOutcome } from "../rpc.js";
import type { GrpcRuntime } from "../runtime.js";
import { protoAlgorithm } from "./sign.js";

export const VERIFY_ACTION = "signing_key.verify";

/**
 * Verify (issue #16): whether a signature is the named key's over the payload, with the key version
 * the signature names. A malformed signature, another payload or key, or a retired version is
 * simply not valid; access is checked as for Sign first, so an ungranted caller learns nothing.
 * Audited with the outcome (valid / invalid) and the version (target `signing_key:<name>/v<n>`), never
 * the payload or signature.
 */
export function verifyHandler(rt: GrpcRuntime) {
  return unaryRpc<VerifyRequest, VerifyResponse>(rt, "Verify", async (call): Promise<RpcOutcome<VerifyResponse>> => {
    const { payload, purpose, signature } = call.request;
    const caller = await authorizeCaller(rt, call);
    const environment = caller.kind === "ok" ? caller.token.environment : undefined;
    const audit = (actorId: string, result: string, reason?: string, version?: number) =>
      rt.audit.record(call, { actorId, action: VERIFY_ACTION, target: `signing_key:${safeLabel(purpose)}${version ? `/v${version}` : ""}`, result, reason, environment });
    if (caller.kind === "refused") {
      await audit(caller.actorId, "refused", caller.reason);
      return { kind: "refused", actor: caller.actorId, refusal: caller };
    }
    const parsed = parseSignature(signature);
    const outcome = await resolveSigningKey(rt, { call, caller, purpose, payload, gone: () => callGone(call), ...(parsed ? { version: parsed.version } : {}) });
    switch (outcome.kind) {
      case "cancelled":
        await audit(caller.actorId, "cancelled");
        return { kind: "cancelled", actor: caller.actorId };
      case "refused":
        await audit(caller.actorId, "refused", outcome.reason);
        return { kind: "refused", actor: caller.actorId, refusal: outcome };
      case "retired":
        await audit(caller.actorId, "invalid", "retired_version", parsed?.version);
        return { kind: "ok", actor: caller.actorId, response: { valid: false, algorithm: protoAlgorithm(outcome.algorithm), keyVersion: parsed?.version ?? 0, publicKey: "" } };
      case "ok": {
        // Without a parsable signature the current version was read only to answer the algorithm.
        const valid = parsed !== undefined && verifyPayload(outcome.algorithm, outcome.material, payload, parsed.signature);
        await audit(caller.actorId, valid ? "valid" : "invalid", parsed ? undefined : "malformed_signature", parsed?.version);
        return {
          kind: "ok",
          actor: caller.actorId,
          response: { valid, algorithm: protoAlgorithm(outcome.algorithm), keyVersion: parsed?.version ?? 0, publicKey: parsed ? (signingPublicKey(outcome.algorithm, outcome.material) ?? "") : "" },
        };
      }
    }
  });
}
