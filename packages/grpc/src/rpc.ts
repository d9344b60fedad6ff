import { status, type handleUnaryCall, type ServerUnaryCall } from "@grpc/grpc-js";
import type { Refusal } from "./caller.js";
import type { GrpcRuntime } from "./runtime.js";
import { grpcError } from "./status.js";

/** How a unary call ended, for its one log line. Handlers write their own audit rows. */
export type RpcOutcome<Res> =
  | { kind: "ok"; actor: string; response: Res }
  | { kind: "refused"; actor: string; refusal: Refusal }
  /** The client cancelled or its deadline passed; nothing is sent. */
  | { kind: "cancelled"; actor: string };

/**
 * Runs a unary handler and answers it, and counts it in the call metrics. A successful call is
 * logged at debug only: one info line per read cost about a tenth of GetSecret's throughput, and
 * the audit log already records every read (who, what, when). Refusals and cancellations stay at
 * info, failures at error; no line holds a value or a token. An unexpected failure becomes INTERNAL
 * with a generic message; details go to the log.
 */
export function unaryRpc<Req, Res>(rt: GrpcRuntime, rpc: string, run: (call: ServerUnaryCall<Req, Res>) => Promise<RpcOutcome<Res>>): handleUnaryCall<Req, Res> {
  const { logger } = rt.deps;
  // Helpers made once per method, and only the two callbacks per call: every closure per call showed in
  // GetSecret's allocation profile (issue #18).
  const ended = (started: number, code: string) => {
    const elapsed = performance.now() - started;
    rt.metrics.observe({ rpc, code }, elapsed / 1000);
    return elapsed;
  };
  const line = (call: ServerUnaryCall<Req, Res>, fields: Record<string, unknown>, elapsed: number) => ({ rpc, peer: call.getPeer(), ms: Math.round(elapsed * 10) / 10, ...fields });
  return (call, callback) => {
    const started = performance.now();
    run(call).then(
      (outcome) => {
        switch (outcome.kind) {
          case "ok": {
            callback(null, outcome.response);
            const elapsed = ended(started, "OK");
            if (logger.isLevelEnabled("debug")) logger.debug(line(call, { actor: outcome.actor, code: "OK" }, elapsed), "grpc call");
            return;
          }
          case "refused": {
            callback(grpcError(outcome.refusal.code, outcome.refusal.reason, outcome.refusal.message));
            const code = status[outcome.refusal.code];
            return logger.info(line(call, { actor: outcome.actor, code, reason: outcome.refusal.reason }, ended(started, code)), "grpc call");
          }
          case "cancelled":
            return logger.info(line(call, { actor: outcome.actor, code: "CANCELLED" }, ended(started, "CANCELLED")), "grpc call");
        }
      },
      (error: unknown) => {
        logger.error(line(call, { code: "INTERNAL", err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, ended(started, "INTERNAL")), "grpc call failed");
        callback(grpcError(status.INTERNAL, "internal", "internal error"));
      },
    );
  };
}
