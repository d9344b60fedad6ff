import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { Reason as ProtoReason, reasonFromJSON, reasonToJSON } from "@keyward/proto";

type ReasonEnumName = Exclude<keyof typeof ProtoReason, "REASON_UNSPECIFIED" | "UNRECOGNIZED">;

/**
 * Machine-readable reasons, sent in the `keyward-reason` trailer beside the status code. Derived
 * from the proto's `Reason` enum (contract 1): REASON_TOKEN_PENDING ↔ "token_pending".
 */
export type Reason = ReasonEnumName extends `REASON_${infer R}` ? Lowercase<R> : never;

export const REASON_TRAILER = "keyward-reason";

/** Every reason, in enum order, read from the generated enum (never a hand-written list). */
export const REASONS: readonly Reason[] = Object.values(ProtoReason)
  .filter((v): v is ProtoReason => typeof v === "number" && v !== ProtoReason.REASON_UNSPECIFIED && v !== ProtoReason.UNRECOGNIZED)
  .map((v) => reasonText(v) as Reason);

/** The trailer text of an enum value, e.g. REASON_ACCESS_PENDING → "access_pending". */
export function reasonText(reason: ProtoReason): Reason | undefined {
  if (reason === ProtoReason.REASON_UNSPECIFIED || reason === ProtoReason.UNRECOGNIZED) return undefined;
  return reasonToJSON(reason).replace(/^REASON_/, "").toLowerCase() as Reason;
}

/** The enum value of a trailer text, e.g. "access_pending" → REASON_ACCESS_PENDING. */
export function reasonEnum(reason: Reason): ProtoReason {
  return reasonFromJSON(`REASON_${reason.toUpperCase()}`);
}

export function grpcError(code: status, reason: Reason, message: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set(REASON_TRAILER, reason);
  return { code, details: message, metadata };
}
