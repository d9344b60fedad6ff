import type { RemoteConfig } from "./config.js";
import { SecretsClientError } from "./errors.js";
import type { Transport } from "./transport.js";
import type { ClientHealth } from "./types.js";
import { TokenStatus } from "@keyward/proto";

/**
 * Keyward's health as a client sees it: the service's grpc.health.v1 status, then the token's
 * status (RegisterToken is idempotent). One call each, no retries: a health check reports, it does not wait.
 */
export async function keywardHealth(transport: Transport, config: Pick<RemoteConfig, "serviceName" | "serviceVersion" | "environment" | "url">): Promise<ClientHealth> {
  const serving = await transport.health();
  if (serving === "unreachable") return { status: "unavailable", reason: `Keyward at ${config.url} cannot be reached` };
  if (serving === "not_serving") return { status: "unavailable", reason: `Keyward at ${config.url} is not serving` };
  try {
    const res = await transport.registerToken(config.serviceName, config.serviceVersion, config.environment);
    switch (res.status) {
      case TokenStatus.TOKEN_STATUS_APPROVED:
        return { status: "healthy" };
      case TokenStatus.TOKEN_STATUS_PENDING:
        return { status: "degraded", reason: `the service token of ${config.serviceName} is pending approval` };
      case TokenStatus.TOKEN_STATUS_REVOKED:
        return { status: "unavailable", reason: `the service token of ${config.serviceName} was revoked` };
      case TokenStatus.TOKEN_STATUS_EXPIRED:
        return { status: "unavailable", reason: `the service token of ${config.serviceName} expired` };
      default:
        return { status: "unavailable", reason: "the service answered RegisterToken with an unknown token status" };
    }
  } catch (error) {
    if (error instanceof SecretsClientError) return { status: "unavailable", reason: `the token check failed: ${error.reason}` };
    throw error;
  }
}
