import { createCallMetrics, type CallMetrics } from "@keyward/common";

export type GrpcMetrics = CallMetrics<"rpc" | "code">;

/** Unary calls by method and status code (few values each), for /metrics beside the admin API's. */
export const createGrpcMetrics = (): GrpcMetrics =>
  createCallMetrics({ total: "keyward_grpc_calls_total", duration: "keyward_grpc_call_duration_seconds", labels: ["rpc", "code"], help: "Unary gRPC calls by method and status code.", durationHelp: "Unary gRPC call durations." });
