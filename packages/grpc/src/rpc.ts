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
 * Runs a unary handler and answers it; logs one structured line per call (never a value or a
 * token). An unexpected failure becomes INTERNAL with a generic message; details go to the log.
 */
export function unaryRpc<Req, Res>(rt: GrpcRuntime, rpc: string, run: (call: ServerUnaryCall<Req, Res>) => Promise<RpcOutcome<Res>>): handleUnaryCall<Req, Res> {
  const { logger } = rt.deps;
  return (call, callback) => {
    const started = performance.now();
    const line = (fields: Record<string, unknown>) => ({ rpc, peer: call.getPeer(), ms: Math.round((performance.now() - started) * 10) / 10, ...fields });
    run(call).then(
      (outcome) => {
        switch (outcome.kind) {
          case "ok":
            callback(null, outcome.response);
            return logger.info(line({ actor: outcome.actor, code: "OK" }), "grpc call");
          case "refused":
            callback(grpcError(outcome.refusal.code, outcome.refusal.reason, outcome.refusal.message));
            return logger.info(line({ actor: outcome.actor, code: status[outcome.refusal.code], reason: outcome.refusal.reason }), "grpc call");
          case "cancelled":
            return logger.info(line({ actor: outcome.actor, code: "CANCELLED" }), "grpc call");
        }
      },
      (error: unknown) => {
        logger.error(line({ code: "INTERNAL", err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }), "grpc call failed");
        callback(grpcError(status.INTERNAL, "internal", "internal error"));
      },
    );
  };
}
