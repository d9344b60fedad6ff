import { status } from "@grpc/grpc-js";
import { assertNever, MAX_SIGN_PAYLOAD_BYTES, secretNameProblem, type SigningAlgorithm } from "@keyward/common";
import { readSigningKeyMaterial, type BoundServiceToken } from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import { grantKey } from "../cache/read-cache.js";
import type { Refusal } from "../caller.js";
import type { GrpcRuntime } from "../runtime.js";
import { grantOf } from "./grant.js";
import { ensureRequest } from "./record-request.js";

/** The key material of one version for a granted caller, a retired version (Verify: not valid), or why the call is refused. */
export type SigningKeyOutcome =
  | { kind: "ok"; algorithm: SigningAlgorithm; material: string; version: number }
  | { kind: "retired"; algorithm: SigningAlgorithm }
  | ({ kind: "refused" } & Refusal)
  | { kind: "cancelled" };

const refuse = (code: status, reason: Refusal["reason"], message: string): SigningKeyOutcome => ({ kind: "refused", code, reason, message });

export interface SigningKeyInput {
  call: AuditedCall;
  caller: { token: BoundServiceToken; actorId: string };
  purpose: string;
  payload: Uint8Array;
  /** The version a signature names (Verify); the current one when absent (Sign). */
  version?: number;
  gone: () => boolean;
}

/**
 * Sign's and Verify's access rules: a signing key is granted per service exactly like a secret (the
 * same access request by name, approval rules and cache), so the grant is checked before anything
 * about the key: an ungranted caller learns nothing about which names are keys. No stub is made for
 * a missing name (a stub is a secret); its access request is recorded, for an admin who then
 * creates the key. The material never leaves this process.
 */
export async function resolveSigningKey(rt: GrpcRuntime, input: SigningKeyInput): Promise<SigningKeyOutcome> {
  const { purpose, caller } = input;
  const problem = secretNameProblem(purpose);
  if (problem) return refuse(status.INVALID_ARGUMENT, "invalid_name", `purpose: ${problem}`);
  if (input.payload.length > MAX_SIGN_PAYLOAD_BYTES) {
    return refuse(status.RESOURCE_EXHAUSTED, "too_large", `payload: at most ${MAX_SIGN_PAYLOAD_BYTES} bytes, got ${input.payload.length}`);
  }
  const environmentId = caller.token.environment_id;
  const now = rt.deps.clock.now();
  const key = grantKey(environmentId, caller.token.service_name, purpose);
  const ensure = () => ensureRequest(rt, { call: input.call, caller, name: purpose, at: now });
  const cached = rt.cache?.grants.get(key);
  const recorded = cached?.kind === "ok" ? cached : rt.cache ? await rt.cache.grants.fill(key, ensure, (r) => r.kind === "ok" && r.request.status === "granted") : await ensure();
  if (input.gone()) return { kind: "cancelled" };
  const grant = grantOf(recorded, purpose);
  if (grant.kind === "refused") return grant;
  const request = grant.request;
  const read = await readSigningKeyMaterial(rt.deps.db, rt.deps.envelope, { environmentId, name: purpose, ...(input.version !== undefined ? { version: input.version } : {}) });
  switch (read.kind) {
    case "ok":
      rt.uses.record(caller.token.id, request.id, now);
      return read;
    case "retired":
      return read;
    case "not_signing_key":
      return refuse(status.FAILED_PRECONDITION, "not_a_signing_key", `${purpose} is not a signing key in this environment; an admin creates signing keys with the admin API`);
    case "disabled":
      return refuse(status.FAILED_PRECONDITION, "signing_key_disabled", `signing key ${purpose} is disabled`);
    case "integrity":
      rt.deps.logger.error({ signingKey: purpose, problem: read.problem }, "stored signing key failed its integrity check; not used");
      return refuse(status.DATA_LOSS, "integrity", `the stored signing key ${purpose} failed an integrity check; an admin must rotate it`);
    default:
      return assertNever(read, "signing key read");
  }
}
