import { getSystemErrorName } from "node:util";
import { failed, type CredentialTestResult } from "./result.js";

/** Transport error codes that mean the target could not be reached at all. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
const TIMED_OUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Every `code` on the error, its causes and an AggregateError's members (fetch and net nest them). */
function codes(error: unknown, seen = new Set<unknown>()): string[] {
  if (!error || typeof error !== "object" || seen.has(error)) return [];
  seen.add(error);
  const e = error as { code?: unknown; errno?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === "string" ? [e.code] : [];
  // nodemailer replaces a socket error's code with its own (ESOCKET) but keeps the system errno.
  if (typeof e.errno === "number" && e.errno < 0) own.push(systemErrorName(e.errno));
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => codes(x, seen)) : [];
  return [...own, ...codes(e.cause, seen), ...nested];
}

function systemErrorName(errno: number): string {
  try {
    return getSystemErrorName(errno);
  } catch {
    return "";
  }
}

/**
 * Turns what a tester threw into a result. Only codes are read, never messages: a driver's message can
 * quote a connection string or a provider's answer.
 */
export function classifyError(label: string, error: unknown, context: { timedOut: boolean; cancelled: boolean; timeoutMs: number }): CredentialTestResult {
  if (context.cancelled) return failed("unexpected", "test cancelled");
  if (context.timedOut) return failed("timeout", `${label} did not answer within ${context.timeoutMs} ms`);
  const all = codes(error);
  const unreachable = all.find((c) => UNREACHABLE.has(c));
  if (unreachable) return failed("unreachable", `${label} is unreachable (${unreachable})`);
  if (all.some((c) => TIMED_OUT.has(c))) return failed("timeout", `${label} did not answer in time`);
  const name = error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : "error";
  return failed("unexpected", `${label} test failed (${name})`);
}
