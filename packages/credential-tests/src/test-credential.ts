import { classifyError } from "./classify-error.js";
import { DEFAULT_TIMEOUT_MS, failed, type CredentialTestOptions, type CredentialTestResult } from "./result.js";
import type { TesterContext } from "./tester.js";
import { testers } from "./testers/index.js";

/**
 * A redirect is answered, not followed: fetch drops Authorization on a cross-origin redirect but would
 * carry x-api-key or a form body with a client secret to wherever the target points.
 */
const noRedirects = (base: typeof fetch): typeof fetch => (input, init) => base(input, { ...init, redirect: "manual" });

/** Whether `type` (a secret type name such as "stripe-key") has a connectivity tester. */
export function hasTester(type: string): boolean {
  return Object.hasOwn(testers, type);
}

/** The secret type names that have a tester. */
export function testableTypes(): string[] {
  return Object.keys(testers);
}

/**
 * Tests that a credential works against its target. Never throws for the credential's sake: every failure
 * is a typed result whose error text holds neither the value nor a provider's body. The test ends by
 * `timeoutMs` even when a driver ignores the signal.
 */
export async function testCredential(type: string, value: string, options: CredentialTestOptions = {}): Promise<CredentialTestResult> {
  if (!hasTester(type)) return failed("invalid", `no connectivity tester for type ${/^[a-z0-9-]{1,64}$/.test(type) ? type : "(unknown)"}`);
  const entry = testers[type]!;
  if (value.trim() === "") return failed("invalid", "the value is empty");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return failed("invalid", "timeoutMs must be a positive number");
  if (options.signal?.aborted) return failed("unexpected", "test cancelled");
  const tester = entry.select?.(value, options) ?? entry;

  const timer = new AbortController();
  const signal = options.signal ? AbortSignal.any([timer.signal, options.signal]) : timer.signal;
  let timedOut = false;
  const context: TesterContext = {
    options,
    signal,
    timeoutMs,
    fetch: noRedirects(options.fetch ?? globalThis.fetch),
    baseUrl: (name, fallback) => (options.baseUrls?.[name] ?? fallback).replace(/\/+$/, ""),
  };
  const status = () => ({ timedOut, cancelled: !timedOut && options.signal?.aborted === true, timeoutMs });

  let onAbort: (() => void) | undefined;
  const ended = new Promise<CredentialTestResult>((resolve) => {
    onAbort = () => resolve(classifyError(tester.label, new Error("aborted"), status()));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const timeout = setTimeout(() => {
    timedOut = true;
    timer.abort();
  }, timeoutMs);
  try {
    const run = tester.run(value, context).catch((error: unknown) => classifyError(tester.label, error, status()));
    return await Promise.race([run, ended]);
  } finally {
    clearTimeout(timeout);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
