import { status } from "@grpc/grpc-js";
import { Reason as ProtoReason, type GetSecretsRequest, type GetSecretsResponse, type SecretResult } from "@keyward/proto";
import { resolveSecret, type SecretOutcome } from "../access/resolve-secret.js";
import { safeLabel } from "../labels.js";
import { authorizeCaller, callGone } from "../caller.js";
import { unaryRpc, type RpcOutcome } from "../rpc.js";
import type { GrpcRuntime } from "../runtime.js";
import { reasonEnum } from "../status.js";
import { SECRET_READ_ACTION } from "./get-secret.js";

/** The most names one GetSecrets call may ask for (stated in the .proto). */
export const MAX_BATCH = 100;

/** Why the batch as a whole is malformed, or undefined. Names themselves are checked per result. */
export function batchProblem(names: string[], field = "secrets"): string | undefined {
  if (names.length > MAX_BATCH) return `${field}: at most ${MAX_BATCH} names per call, got ${names.length}`;
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (seen.has(name)) return `${field}[${i}]: the name ${JSON.stringify(name.slice(0, 128))} appears more than once`;
    seen.add(name);
  }
  return undefined;
}

/** The one audit row for the names a GetSecrets call read (valid names: no commas in them). */
export function batchReadRow(names: string[]): { target: string; result: "ok"; count?: number } {
  return names.length === 1 ? { target: `secret:${names[0]}`, result: "ok" } : { target: `secrets:${names.join(",")}`, result: "ok", count: names.length };
}

/**
 * GetSecrets: each name gets GetSecret's semantics; the names read share one audit row, each
 * refusal has its own; results come back in request order. The call fails only for what
 * concerns every name (token, batch shape).
 */
export function getSecretsHandler(rt: GrpcRuntime) {
  return unaryRpc<GetSecretsRequest, GetSecretsResponse>(rt, "GetSecrets", async (call): Promise<RpcOutcome<GetSecretsResponse>> => {
    const refs = call.request.secrets;
    const batchTarget = `batch:${refs.length}`;
    const caller = await authorizeCaller(rt, call);
    if (caller.kind === "refused") {
      await rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, target: batchTarget, result: "refused", reason: caller.reason, foldable: { versions: [] } });
      return { kind: "refused", actor: caller.actorId, refusal: caller };
    }
    const problem = batchProblem(refs.map((r) => r.name));
    if (problem) {
      await rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, target: batchTarget, result: "refused", reason: "invalid_argument", environment: caller.token.environment, foldable: { versions: [] } });
      return { kind: "refused", actor: caller.actorId, refusal: { code: status.INVALID_ARGUMENT, reason: "invalid_argument", message: problem } };
    }
    const gone = () => callGone(call);
    const environment = caller.token.environment;
    const now = rt.deps.clock.now();
    // Cached names resolve synchronously; only the others are awaited.
    const resolving = refs.map((ref) => resolveSecret(rt, { call, caller, name: ref.name, description: ref.description, policy: ref.policy, gone, now }));
    const resolved = resolving.some((r) => r instanceof Promise) ? await Promise.all(resolving) : (resolving as SecretOutcome[]);
    const outcomes = refs.map((ref, i) => ({ ref, outcome: resolved[i]! }));
    // Every name read goes into ONE row (target `secrets:A,B,C`, count = names): the batch costs one
    // row, not twenty, and each name is still in the log. A refused or cancelled name gets its own
    // row, with its reason. All are durable before any value leaves.
    const read = outcomes.flatMap((o) => (o.outcome.kind === "ok" ? [{ name: o.ref.name, version: o.outcome.version }] : []));
    const record = (entry: { target: string; result: string; reason?: string; count?: number; foldable?: { versions: number[] } }) =>
      rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, environment, ...entry });
    await Promise.all([
      // With auditFoldReadsMs the same batch at the same versions folds (see read-fold.ts).
      ...(read.length > 0 ? [record({ ...batchReadRow(read.map((r) => r.name)), foldable: { versions: read.map((r) => r.version) } })] : []),
      ...outcomes.map(({ ref, outcome }) => {
        if (outcome.kind === "refused") return record({ target: `secret:${safeLabel(ref.name)}`, result: "refused", reason: outcome.reason, foldable: { versions: [] } });
        if (outcome.kind === "cancelled") return record({ target: `secret:${safeLabel(ref.name)}`, result: "cancelled" });
        return undefined;
      }),
    ]);
    const results = outcomes.map(({ ref, outcome }): SecretResult | undefined => {
      switch (outcome.kind) {
        case "cancelled":
          return undefined;
        case "refused":
          return { name: ref.name, value: "", version: 0, reason: reasonEnum(outcome.reason), message: outcome.message };
        case "ok":
          return { name: ref.name, value: outcome.value, version: outcome.version, reason: ProtoReason.REASON_UNSPECIFIED, message: "" };
      }
    });
    if (results.some((r) => r === undefined)) return { kind: "cancelled", actor: caller.actorId };
    return { kind: "ok", actor: caller.actorId, response: { results: results as SecretResult[] } };
  });
}
