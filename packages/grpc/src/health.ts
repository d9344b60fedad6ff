import { status, type Server, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from "@grpc/grpc-js";
import { service as healthService, type ServingStatus } from "grpc-health-check";

export const SECRETS_SERVICE_NAME = "keyward.secrets.v1.SecretsService";

type HealthStatus = ServingStatus | "SERVICE_UNKNOWN";
type HealthRequest = { service: string };
type HealthResponse = { status: HealthStatus };

export interface HealthControl {
  set(status: ServingStatus): void;
  /** Ends open Watch streams (they would otherwise hold a graceful shutdown until its grace period). */
  endWatches(): void;
}

/**
 * The standard grpc.health.v1 service (the definition shipped by grpc-health-check): "" (the
 * server) and the secrets service, SERVING until shutdown. Implemented here rather than with
 * HealthImplementation so that close() can end Watch streams.
 */
export function addHealthService(server: Server): HealthControl {
  const statuses = new Map<string, ServingStatus>([
    ["", "SERVING"],
    [SECRETS_SERVICE_NAME, "SERVING"],
  ]);
  const watchers = new Set<ServerWritableStream<HealthRequest, HealthResponse>>();
  const statusOf = (name: string): HealthStatus => statuses.get(name) ?? "SERVICE_UNKNOWN";
  server.addService(healthService, {
    check: (call: ServerUnaryCall<HealthRequest, HealthResponse>, callback: sendUnaryData<HealthResponse>) => {
      const known = statuses.get(call.request.service);
      if (known) callback(null, { status: known });
      else callback({ code: status.NOT_FOUND, details: `health status unknown for service ${JSON.stringify(call.request.service.slice(0, 200))}` });
    },
    // Per the health protocol, an unknown service is answered SERVICE_UNKNOWN and kept watched.
    watch: (call: ServerWritableStream<HealthRequest, HealthResponse>) => {
      watchers.add(call);
      call.on("cancelled", () => watchers.delete(call));
      call.write({ status: statusOf(call.request.service) });
    },
  });
  return {
    set(next) {
      for (const name of statuses.keys()) statuses.set(name, next);
      for (const call of watchers) call.write({ status: statusOf(call.request.service) });
    },
    endWatches() {
      for (const call of watchers) call.end();
      watchers.clear();
    },
  };
}
