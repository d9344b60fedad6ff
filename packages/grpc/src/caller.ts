import { status, type Metadata } from "@grpc/grpc-js";
import { assertNever, hashToken } from "@keyward/common";
import { getServiceTokenByHash, isServiceTokenExpired, type ServiceToken } from "@keyward/db";
import { findTokenByHash, tokenFromMetadata } from "./auth.js";
import type { GrpcRuntime } from "./runtime.js";
import type { Reason } from "./status.js";

export type Refusal = { code: status; reason: Reason; message: string };

/** An approved caller, or why the whole call is refused (with the actor id to audit it under). */
export type CallerResult = { kind: "ok"; token: ServiceToken; actorId: string } | ({ kind: "refused"; actorId: string } & Refusal);

const refused = (actorId: string, refusal: Refusal): CallerResult => ({ kind: "refused", actorId, ...refusal });

/** The peer's address without its port, e.g. "ipv4:127.0.0.1:5000" → "ipv4:127.0.0.1". */
export const peerAddress = (peer: string) => peer.replace(/:\d+$/, "");

/**
 * An expired token is refused with UNAUTHENTICATED, not PERMISSION_DENIED: the credential itself is
 * no longer valid (gRPC: "does not have valid authentication credentials"), as with an unknown
 * token, and only a new token (or an admin extending this one) helps. PERMISSION_DENIED is kept for
 * a valid credential that an admin has not (or no longer) allowed: pending, revoked, no grant.
 */
export const tokenExpired = (): Refusal => ({ code: status.UNAUTHENTICATED, reason: "token_expired", message: "this service token has expired; an admin must issue a new one or extend it" });

/** Also how an open WatchSecrets stream ends when an admin revokes its token. */
export const tokenRevoked = (): Refusal => ({ code: status.PERMISSION_DENIED, reason: "token_revoked", message: "this service token was revoked by an admin" });

export const rateLimited = (): Refusal => ({ code: status.RESOURCE_EXHAUSTED, reason: "rate_limited", message: "too many calls with this token; retry later" });

/** The token row for a hash (approved ones from the cache), re-checked in constant time. */
export function lookupToken(rt: GrpcRuntime, tokenHash: string): Promise<ServiceToken | undefined> {
  const lookup = async (hash: string) =>
    rt.cache ? (rt.cache.tokens.get(hash) ?? rt.cache.tokens.fill(hash, () => getServiceTokenByHash(rt.deps.db, hash), (t) => t?.status === "approved")) : getServiceTokenByHash(rt.deps.db, hash);
  return findTokenByHash(lookup, tokenHash);
}

/**
 * The first step of every RPC that takes a token: rate-limits (per token hash, or per peer address
 * when no usable token was sent) and reads the token from the metadata, before any lookup.
 */
export function admitCaller(rt: GrpcRuntime, call: { metadata: Metadata; getPeer(): string }): { kind: "ok"; tokenHash: string } | { kind: "refused"; refusal: Refusal } {
  const parsed = tokenFromMetadata(call.metadata);
  const tokenHash = parsed.kind === "ok" ? hashToken(parsed.token) : undefined;
  if (!rt.limiter.take(tokenHash ?? `peer:${peerAddress(call.getPeer())}`)) return { kind: "refused", refusal: rateLimited() };
  switch (parsed.kind) {
    case "missing":
      return { kind: "refused", refusal: { code: status.UNAUTHENTICATED, reason: "token_missing", message: "send the service token as authorization: Bearer <token>" } };
    case "malformed":
      return { kind: "refused", refusal: { code: status.UNAUTHENTICATED, reason: "token_malformed", message: parsed.problem } };
    case "ok":
      return { kind: "ok", tokenHash: tokenHash! };
    default:
      return assertNever(parsed, "token parse result");
  }
}

/**
 * Rate-limits (per token hash, or per peer address when no usable token was sent), authenticates
 * the token and requires it to be approved and not expired: shared by every secret-reading RPC.
 * Expiry is checked here, at use time against the injected clock, so a token served from the cache
 * stops working the moment its expires_at passes.
 */
export async function authorizeCaller(rt: GrpcRuntime, call: { metadata: Metadata; getPeer(): string }): Promise<CallerResult> {
  const admitted = admitCaller(rt, call);
  if (admitted.kind === "refused") return refused(admitted.refusal.reason === "rate_limited" ? "(limited)" : "(none)", admitted.refusal);
  const token = await lookupToken(rt, admitted.tokenHash);
  if (!token) return refused("(unknown)", { code: status.UNAUTHENTICATED, reason: "token_unknown", message: "this token is not registered; call RegisterToken first" });
  const actorId = `${token.service_name}#${token.id}`;
  switch (token.status) {
    case "approved":
      return isServiceTokenExpired(token, rt.deps.clock.now()) ? refused(actorId, tokenExpired()) : { kind: "ok", token, actorId };
    case "pending":
      return refused(actorId, { code: status.PERMISSION_DENIED, reason: "token_pending", message: "this service token is waiting for an admin's approval" });
    case "revoked":
      return refused(actorId, tokenRevoked());
    default:
      return assertNever(token.status, "token status");
  }
}

/** True when the client is gone (cancelled, or its deadline passed): do no more work for it. */
export function callGone(call: { cancelled: boolean; getDeadline(): Date | number }): boolean {
  if (call.cancelled) return true;
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) && ms <= Date.now();
}
