import { refuse } from "./result.js";
import type { ValidationResult } from "./types.js";

/** A refusal when a single-token credential is empty or has spaces or control characters (a pasted line break, a stray quote). */
export function tokenProblem(value: string, minLength = 1): ValidationResult | undefined {
  if (value.length === 0) return refuse("must not be empty");
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return refuse("must not contain whitespace or control characters");
  if (value.length < minLength) return refuse(`must be at least ${minLength} characters`);
  return undefined;
}

/** The value as a JSON object, or a refusal that names the rule (a parser's message could quote the value, so it is not used). */
export function jsonObject(value: string, what: string): { object: Record<string, unknown> } | { refusal: ValidationResult } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { refusal: refuse(`must be a JSON object (${what})`) };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { refusal: refuse(`must be a JSON object (${what})`) };
  return { object: parsed as Record<string, unknown> };
}

/** The first of `keys` that holds a non-empty string (e.g. "accessKeyId" or "AccessKeyId"). */
export function field(object: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = object[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
