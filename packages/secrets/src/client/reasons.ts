import { Reason, reasonFromJSON, reasonToJSON } from "@keyward/proto";

type ReasonText<K> = K extends `REASON_${infer R}` ? (R extends "UNSPECIFIED" ? never : Lowercase<R>) : never;

/** The service's reasons, derived from the proto `Reason` enum: REASON_TOKEN_PENDING ↔ "token_pending". */
export type ServerReason = ReasonText<keyof typeof Reason>;

/** Reasons the client itself decides, for failures the service never got to answer. */
export type ClientReason =
  /** The service could not be reached (after retries). */
  | "unavailable"
  /** No answer within the per-call deadline (after retries). */
  | "deadline_exceeded"
  /** The circuit breaker is open after repeated failures; no call was made. */
  | "circuit_open"
  /** A value does not satisfy its schema (the message names the rule, never the value). */
  | "invalid_value"
  /** The name is not declared in the client's schema. */
  | "not_declared"
  /** The client was closed. */
  | "closed"
  /** A provider (Vault, AWS…) refused the client's credentials. */
  | "unauthenticated"
  /** A provider says its configuration is wrong (mount, region, address…). */
  | "invalid_config"
  /** The client's provider cannot do this (sign and verify need the keyward provider). */
  | "unsupported";

export type SecretsClientReason = ServerReason | ClientReason;

/** "token_pending" for Reason.REASON_TOKEN_PENDING; undefined for REASON_UNSPECIFIED and unknown values. */
export function reasonText(reason: Reason): ServerReason | undefined {
  if (reason === Reason.REASON_UNSPECIFIED || reason === Reason.UNRECOGNIZED) return undefined;
  const json = reasonToJSON(reason);
  return json.startsWith("REASON_") ? (json.slice("REASON_".length).toLowerCase() as ServerReason) : undefined;
}

/** Parses the text of a `keyward-reason` trailer; undefined when this client does not know it. */
export function parseReasonText(text: string): ServerReason | undefined {
  return reasonText(reasonFromJSON(`REASON_${text.toUpperCase()}`));
}
