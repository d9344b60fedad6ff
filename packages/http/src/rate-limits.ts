import { createRateLimiter, KeywardError, type RateLimiter } from "@keyward/common";
import { HttpProblem } from "./problem.js";

/** The admin API's two limits per client address: all requests, and failed sign-ins. */
export interface RequestLimits {
  /** Throws 429 when the address has used up its requests. */
  admit(address: string): void;
  /** Throws 429 when the address has failed to sign in too often lately (checked before the credentials are). */
  admitSignIn(address: string): void;
  /** Counts a failed sign-in (a 401) against the address. */
  failedSignIn(address: string): void;
}

const tooMany = (detail: string, retryAfter: number) => Object.assign(new HttpProblem(429, "Too many requests", detail), { retryAfter });

const positive = (name: string, value: number | undefined, fallback: number) => {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new KeywardError("invalid_argument", `http option ${name} must be a positive number, got ${String(value)}`, { field: name });
  return v;
};

/**
 * Token buckets per address: `rateLimitPerSecond` (bursts of twice that) for every request, and a
 * stricter one that only failed sign-ins use, so guessing admin keys or replaying bad tokens is slow
 * while a signed-in admin is never held back by it.
 */
export function createRequestLimits(options: { rateLimitPerSecond?: number; authFailuresPerMinute?: number }): RequestLimits {
  const perSecond = positive("rateLimitPerSecond", options.rateLimitPerSecond, 50);
  const failuresPerMinute = positive("authFailuresPerMinute", options.authFailuresPerMinute, 10);
  const requests = createRateLimiter({ perSecond, burst: Math.max(1, 2 * perSecond) });
  const failures = createRateLimiter({ perSecond: failuresPerMinute / 60, burst: Math.max(1, failuresPerMinute) });
  return {
    admit(address) {
      if (!requests.take(address)) throw tooMany(`more than ${perSecond} requests per second from this address; slow down`, 1);
    },
    admitSignIn(address) {
      if (!failures.has(address)) throw tooMany(`too many failed sign-ins from this address; wait a minute before trying again`, Math.ceil(60 / failuresPerMinute));
    },
    failedSignIn(address) {
      failures.take(address);
    },
  };
}

/** Connection tests per (environment, secret): each one calls a third party with the credential, so a loop of clicks must not. */
export function createCredentialTestLimiter(options: { credentialTestsPerMinute?: number }): RateLimiter {
  const perMinute = positive("credentialTestsPerMinute", options.credentialTestsPerMinute, 6);
  return createRateLimiter({ perSecond: perMinute / 60, burst: Math.max(1, Math.ceil(perMinute / 2)) });
}

/** The 429 for a secret tested too often lately. */
export const testedTooOften = (name: string) => tooMany(`${name} was tested moments ago; wait a few seconds before testing it again`, 10);
