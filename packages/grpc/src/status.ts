import { Metadata, status, type ServiceError } from "@grpc/grpc-js";

/** Machine-readable reasons, sent in the `keyward-reason` trailer beside the status code. */
export type Reason =
  | "token_missing"
  | "token_malformed"
  | "token_unknown"
  | "token_pending"
  | "token_revoked"
  | "invalid_name"
  | "invalid_argument"
  | "secret_missing"
  | "secret_no_value"
  | "secret_disabled"
  | "access_pending"
  | "access_denied"
  | "access_revoked"
  | "internal";

export const REASON_TRAILER = "keyward-reason";

export function grpcError(code: status, reason: Reason, message: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set(REASON_TRAILER, reason);
  return { code, details: message, metadata };
}
