import { status } from "@grpc/grpc-js";
import { assertNever } from "@keyward/common";
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
export function batchProblem(names: readonly string[], field = "secrets"): string | undefined {
  if (names.length > MAX_BATCH) return `${field}: at most ${MAX_BATCH} names per call, got ${names.length}`;
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
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
 * concerns every name (token, batch shape). Written as plain loops: a batch of cached names is
 * this server's busiest path per value, and every array and closure per name showed in its
 * allocation profile (bench/README.md).
 */
export function getSecretsHandler(rt: GrpcRuntime) {
  return unaryRpc<GetSecretsRequest, GetSecretsResponse>(rt, "GetSecrets", async (call): Promise<RpcOutcome<GetSecretsResponse>> => {
    const refs = call.request.secrets;
    const caller = await authorizeCaller(rt, call);
    if (caller.kind === "refused") {
      await rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, target: `batch:${refs.length}`, result: "refused", reason: caller.reason, foldable: { versions: [] } });
      return { kind: "refused", actor: caller.actorId, refusal: caller };
    }
    const n = refs.length;
    const names = new Array<string>(n);
    for (let i = 0; i < n; i++) names[i] = refs[i]!.name;
    const problem = batchProblem(names);
    if (problem) {
      await rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, target: `batch:${n}`, result: "refused", reason: "invalid_argument", environment: caller.token.environment, foldable: { versions: [] } });
      return { kind: "refused", actor: caller.actorId, refusal: { code: status.INVALID_ARGUMENT, reason: "invalid_argument", message: problem } };
    }
    const gone = () => callGone(call);
    const environment = caller.token.environment;
    const now = rt.deps.clock.now();
    // Cached names resolve synchronously; only the others are awaited.
    const resolving = new Array<SecretOutcome | Promise<SecretOutcome>>(n);
    let waiting = false;
    for (let i = 0; i < n; i++) {
      const ref = refs[i]!;
      const r = resolveSecret(rt, { call, caller, name: ref.name, description: ref.description, policy: ref.policy, gone, now });
      if (r instanceof Promise) waiting = true;
      resolving[i] = r;
    }
    const outcomes = waiting ? await Promise.all(resolving) : (resolving as SecretOutcome[]);
    // Every name read goes into ONE row (target `secrets:A,B,C`, count = names): the batch costs one
    // row, not twenty, and each name is still in the log. A refused or cancelled name gets its own
    // row, with its reason. All are durable before any value leaves.
    const record = (entry: { target: string; result: string; reason?: string; count?: number; foldable?: { versions: number[] } }) =>
      rt.audit.record(call, { actorId: caller.actorId, action: SECRET_READ_ACTION, environment, ...entry });
    const read: string[] = [];
    const versions: number[] = [];
    let others = false;
    let cancelled = false;
    for (let i = 0; i < n; i++) {
      const outcome = outcomes[i]!;
      if (outcome.kind === "ok") {
        read.push(names[i]!);
        versions.push(outcome.version);
      } else others = true;
    }
    // With auditFoldReadsMs the same batch at the same versions folds (see read-fold.ts).
    const batchRow = read.length > 0 ? record({ ...batchReadRow(read), foldable: { versions } }) : undefined;
    if (!others) await batchRow;
    else {
      const rows: (Promise<void> | undefined)[] = [batchRow];
      for (let i = 0; i < n; i++) {
        const outcome = outcomes[i]!;
        switch (outcome.kind) {
          case "ok":
            break;
          case "refused":
            rows.push(record({ target: `secret:${safeLabel(names[i]!)}`, result: "refused", reason: outcome.reason, foldable: { versions: [] } }));
            break;
          case "cancelled":
            cancelled = true;
            rows.push(record({ target: `secret:${safeLabel(names[i]!)}`, result: "cancelled" }));
            break;
          default:
            assertNever(outcome, "secret outcome");
        }
      }
      await Promise.all(rows);
    }
    if (cancelled) return { kind: "cancelled", actor: caller.actorId };
    const results = new Array<SecretResult>(n);
    for (let i = 0; i < n; i++) {
      const outcome = outcomes[i] as Exclude<SecretOutcome, { kind: "cancelled" }>;
      results[i] =
        outcome.kind === "ok"
          ? { name: names[i]!, value: outcome.value, version: outcome.version, reason: ProtoReason.REASON_UNSPECIFIED, message: "" }
          : { name: names[i]!, value: "", version: 0, reason: reasonEnum(outcome.reason), message: outcome.message };
    }
    return { kind: "ok", actor: caller.actorId, response: { results } };
  });
}
