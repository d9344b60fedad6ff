import { malformed, parsed, refuse } from "./result.js";
import type { ShapeResult, ValidationResult } from "./types.js";

/** A refusal when a single-token credential is empty or has spaces or control characters (a pasted line break, a stray quote). */
export function tokenProblem(value: string, minLength = 1): ValidationResult | undefined {
  if (value.length === 0) return refuse("must not be empty");
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return refuse("must not contain whitespace or control characters");
  if (value.length < minLength) return refuse(`must be at least ${minLength} characters`);
  return undefined;
}

/** The value as a JSON object, or a refusal that names the rule (a parser's message could quote the value, so it is not used). */
export function jsonObject(value: string, what: string): ShapeResult<Record<string, unknown>> {
  let object: unknown;
  try {
    object = JSON.parse(value);
  } catch {
    return malformed(`must be a JSON object (${what})`);
  }
  if (typeof object !== "object" || object === null || Array.isArray(object)) return malformed(`must be a JSON object (${what})`);
  return parsed(object as Record<string, unknown>);
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
