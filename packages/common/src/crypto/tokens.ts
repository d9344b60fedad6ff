import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefixes make a leaked token recognisable to secret scanners. */
export const SERVICE_TOKEN_PREFIX = "kws_";
export const ADMIN_TOKEN_PREFIX = "kwa_";

/** 256 random bits, base64url, behind a prefix. */
export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Tokens are stored only as SHA-256 hashes; they are long and random, so no salt or KDF is needed. */
export function hashToken(token: string): string {
  // One-shot: no Hash object per call (every gRPC call hashes its token).
  return hash("sha256", token, "hex");
}

/** Constant-time comparison of two hex digests. */
export function hashesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  if (ab.length !== bb.length || ab.length === 0) return false;
  return timingSafeEqual(ab, bb);
}

const TOKEN_SHAPE = /^kw[sa]_[A-Za-z0-9_-]{43}$/;

/** Checks a token's shape without echoing it; returns a reason the caller can report. */
export function tokenShapeProblem(token: string, prefix: string): string | undefined {
  if (token.length === 0) return "the token is empty";
  if (!token.startsWith(prefix)) return `the token does not start with "${prefix}"`;
  if (!TOKEN_SHAPE.test(token)) return `the token is not ${prefix} followed by 43 base64url characters`;
  return undefined;
}
