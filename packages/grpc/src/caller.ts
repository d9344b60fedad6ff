import { status, type Metadata } from "@grpc/grpc-js";
import { assertNever, hashToken } from "@keyward/common";
import { getServiceTokenByHash, isServiceTokenExpired, type BoundServiceToken } from "@keyward/db";
import { findTokenByHash, tokenFromMetadata, tokenRowFor } from "./auth.js";
import { identityProblem, peerAddress, type IdentifiedCall } from "./identity.js";
import type { GrpcRuntime } from "./runtime.js";
import type { Reason } from "./status.js";

export type Refusal = { code: status; reason: Reason; message: string };

/**
 * An approved caller, or why the whole call is refused (with the actor id to audit it under). The
 * token carries its environment: every read, stub, request and watch of the call is scoped to it.
 */
export type CallerResult = { kind: "ok"; token: BoundServiceToken; actorId: string } | ({ kind: "refused"; actorId: string } & Refusal);

const refused = (actorId: string, refusal: Refusal): CallerResult => ({ kind: "refused", actorId, ...refusal });

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
export function lookupToken(rt: GrpcRuntime, tokenHash: string): Promise<BoundServiceToken | undefined> {
  const lookup = async (hash: string) =>
    rt.cache ? (rt.cache.tokens.get(hash) ?? rt.cache.tokens.fill(hash, () => getServiceTokenByHash(rt.deps.db, hash), (t) => t?.status === "approved")) : getServiceTokenByHash(rt.deps.db, hash);
  return findTokenByHash(lookup, tokenHash);
}

/** A call as the first steps read it: its metadata, and who is calling. */
export type CallerCall = IdentifiedCall & { metadata: Metadata };

/** Strict identity refused the call: the client certificate does not name the token's service. */
export const identityMismatch = (problem: string): Refusal => ({ code: status.PERMISSION_DENIED, reason: "identity_mismatch", message: problem });

/**
 * The first step of every RPC that takes a token: reads it from the metadata and rate-limits, per
 * token hash, or per client address when no usable token was sent (an unauthenticated call).
 */
export function admitCaller(rt: GrpcRuntime, call: CallerCall): { kind: "ok"; tokenHash: string; peer: string } | { kind: "refused"; refusal: Refusal } {
  const parsed = tokenFromMetadata(call.metadata);
  const peer = peerAddress(call.getPeer());
  const tokenHash = parsed.kind === "ok" ? hashToken(parsed.token) : undefined;
  if (!(tokenHash ? rt.limiter.take(tokenHash) : rt.peerLimiter.take(peer))) return { kind: "refused", refusal: rateLimited() };
  switch (parsed.kind) {
    case "missing":
      return { kind: "refused", refusal: { code: status.UNAUTHENTICATED, reason: "token_missing", message: "send the service token as authorization: Bearer <token>" } };
    case "malformed":
      return { kind: "refused", refusal: { code: status.UNAUTHENTICATED, reason: "token_malformed", message: parsed.problem } };
    case "ok":
      return { kind: "ok", tokenHash: tokenHash!, peer };
    default:
      return assertNever(parsed, "token parse result");
  }
}

/**
 * Rate-limits, authenticates the token and requires it to be approved and not expired: shared by
 * every secret-reading RPC. A token that is not an approved one held in memory is looked up only
 * while the caller's address has unauthenticated calls left, and an unknown one uses one up, so a
 * flood of made-up tokens costs no database lookups once its address is limited. Expiry is
 * checked here, at use time against the injected clock, so a cached token stops the moment its
 * expires_at passes; under strict identity, so is the client certificate, at every call.
 */
export async function authorizeCaller(rt: GrpcRuntime, call: CallerCall): Promise<CallerResult> {
  const admitted = admitCaller(rt, call);
  if (admitted.kind === "refused") return refused(admitted.refusal.reason === "rate_limited" ? "(limited)" : "(none)", admitted.refusal);
  const cached = rt.cache?.tokens.get(admitted.tokenHash);
  if (!cached && !rt.peerLimiter.has(admitted.peer)) return refused("(limited)", rateLimited());
  // An approved token held in memory is re-checked here without a promise (most calls).
  const token = tokenRowFor(cached, admitted.tokenHash) ?? (await lookupToken(rt, admitted.tokenHash));
  if (!token) {
    rt.peerLimiter.take(admitted.peer);
    return refused("(unknown)", { code: status.UNAUTHENTICATED, reason: "token_unknown", message: "this token is not registered; call RegisterToken first" });
  }
  const actorId = `${token.service_name}#${token.id}`;
  switch (token.status) {
    case "approved": {
      if (isServiceTokenExpired(token, rt.deps.clock.now())) return refused(actorId, tokenExpired());
      const problem = rt.options.strictIdentity ? identityProblem(call, token.service_name) : undefined;
      return problem ? refused(actorId, identityMismatch(problem)) : { kind: "ok", token, actorId };
    }
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
