import { status } from "@grpc/grpc-js";
import { assertNever } from "@keyward/common";
import type { AccessRequest } from "@keyward/db";
import type { Refusal } from "../caller.js";
import type { RecordedRequest } from "./record-request.js";

/**
 * The grant a recorded access request gives to `name`, or the refusal a caller gets: over the
 * pending-request cap, waiting for an admin, denied or revoked. Shared by secrets (GetSecret,
 * GetSecrets) and signing keys (Sign, Verify), which are granted the same way.
 */
export function grantOf(recorded: RecordedRequest, name: string): { kind: "granted"; request: AccessRequest } | ({ kind: "refused" } & Refusal) {
  const refuse = (code: status, reason: Refusal["reason"], message: string) => ({ kind: "refused" as const, code, reason, message });
  if (recorded.kind === "limit") {
    return refuse(status.RESOURCE_EXHAUSTED, "request_limit", `this service has ${recorded.max} access requests waiting for an admin; nothing new was recorded for ${name}`);
  }
  const request = recorded.request;
  switch (request.status) {
    case "granted":
      return { kind: "granted", request };
    case "pending":
      return refuse(status.PERMISSION_DENIED, "access_pending", `access to ${name} is waiting for an admin's approval`);
    case "denied":
      return refuse(status.PERMISSION_DENIED, "access_denied", `an admin denied this service access to ${name}`);
    case "revoked":
      return refuse(status.PERMISSION_DENIED, "access_revoked", `an admin revoked this service's access to ${name}`);
    default:
      return assertNever(request.status, "access status");
  }
}
