import { isServiceTokenExpired, rotationOf, type AccessRequest, type SecretWithRotation, type ServiceToken } from "@keyward/db";
import type { PreflightResult } from "@keyward/spec";

/** The best of a service's tokens in an environment: one approved and unexpired serves. */
export function tokenState(tokens: Pick<ServiceToken, "status" | "expires_at">[], now: Date): PreflightResult["token"] {
  if (tokens.some((t) => t.status === "approved" && !isServiceTokenExpired(t, now))) return "approved";
  if (tokens.some((t) => t.status === "pending")) return "pending";
  if (tokens.some((t) => t.status === "approved")) return "expired";
  return tokens.length > 0 ? "revoked" : "none";
}

/** The service's access to one secret: its newest request decides (a revoked grant reads as denied). */
export function accessState(requests: Pick<AccessRequest, "status">[]): PreflightResult["access"] {
  const newest = requests[0];
  if (!newest) return "none";
  return newest.status === "revoked" ? "denied" : newest.status;
}

export function valueStateOf(secret: Pick<SecretWithRotation, "status" | "current_version"> | undefined): PreflightResult["valueState"] {
  if (!secret) return "missing";
  if (secret.status === "disabled") return "disabled";
  return secret.status === "stub" || secret.current_version === 0 ? "stub" : "set";
}

export function rotationState(secret: SecretWithRotation | undefined, now: Date): PreflightResult["rotation"] {
  if (!secret) return "none";
  const { state } = rotationOf(secret, now);
  return state === "no_value" ? "none" : state === "due_soon" ? "due" : state;
}

/** Whether a service started now gets the value. */
export const isServed = (r: Omit<PreflightResult, "served">): boolean => r.valueState === "set" && r.access === "granted" && r.token === "approved" && r.rule !== "fails";
