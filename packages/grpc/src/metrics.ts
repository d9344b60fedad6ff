import { createCallMetrics, type CallMetrics } from "@keyward/common";

export type GrpcMetrics = CallMetrics<"rpc" | "code">;

/** Unary calls by method and status code (few values each), for /metrics beside the admin API's. */
export const createGrpcMetrics = (): GrpcMetrics =>
  createCallMetrics({ total: "keyward_grpc_calls_total", duration: "keyward_grpc_call_duration_seconds", labels: ["rpc", "code"], help: "Unary gRPC calls by method and status code.", durationHelp: "Unary gRPC call durations." });

/** One counter in Prometheus text format (for a number kept elsewhere, such as the audit folder's). */
export const renderCounter = (name: string, help: string, value: number): string => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}\n`;

/** The gRPC server's metrics beside its calls': reads the audit folded instead of writing one row each. */
export const renderAuditMetrics = (foldedReads: number): string =>
  renderCounter("keyward_audit_folded_reads_total", "GetSecret/GetSecrets reads audited as part of a folded row (count) instead of a row each (KEYWARD_AUDIT_FOLD_READS_MS).", foldedReads);
