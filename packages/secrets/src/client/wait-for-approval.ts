import { SecretsClientError } from "./errors.js";
import type { Registration, WaitForApprovalOptions } from "./types.js";

export const DEFAULT_APPROVAL_TIMEOUT_MS = 300_000;
export const DEFAULT_APPROVAL_POLL_MS = 5000;

/**
 * Registers and asks again every pollMs until the token is approved. Time is counted in polls
 * (not read from a clock), so the wait is bounded however slow each call is, and testable. A
 * revoked or expired token fails at once: no amount of waiting approves it.
 */
export async function waitForApproval(
  deps: { register: () => Promise<Registration>; sleep: (ms: number) => Promise<void>; serviceName: string },
  options: WaitForApprovalOptions = {},
): Promise<Registration> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const pollMs = options.pollMs ?? DEFAULT_APPROVAL_POLL_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0) throw new RangeError(`waitForApproval: timeoutMs must be a whole number of milliseconds ≥ 0, got ${timeoutMs}`);
  if (!Number.isInteger(pollMs) || pollMs < 1) throw new RangeError(`waitForApproval: pollMs must be a whole number of milliseconds ≥ 1, got ${pollMs}`);
  for (let waited = 0; ; waited += pollMs) {
    const registration = await deps.register();
    const { status } = registration;
    if (status === "approved") return registration;
    if (status === "expired") {
      const when = registration.expiresAt ? ` at ${registration.expiresAt.toISOString()}` : "";
      throw new SecretsClientError(
        undefined,
        "token_expired",
        `the service token of ${deps.serviceName} expired${when}; an admin must extend it (approve it again with a later expiry: POST /api/service-tokens/{id}/approve) or issue a new token`,
      );
    }
    if (status === "revoked") throw new SecretsClientError(undefined, "token_revoked", `the service token of ${deps.serviceName} was revoked by an admin; create a new token file and register again`);
    if (waited + pollMs > timeoutMs) {
      throw new SecretsClientError(undefined, "token_pending", `the service token of ${deps.serviceName} is still pending approval after ${waited} ms; an admin must approve it (POST /api/service-tokens/{id}/approve)`);
    }
    await deps.sleep(pollMs);
  }
}
