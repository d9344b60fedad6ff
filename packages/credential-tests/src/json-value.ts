import { failed, type CredentialTestResult } from "./result.js";

type Parsed<T> = { ok: true; value: T } | { ok: false; result: CredentialTestResult };

/** Parses a JSON object. JSON.parse's own message quotes the input, so the error names only what is wrong. */
export function jsonObject(value: string, what: string): Parsed<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, result: failed("invalid", `${what}: the value is not JSON`) };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, result: failed("invalid", `${what}: the value is not a JSON object`) };
  return { ok: true, value: parsed as Record<string, unknown> };
}

/** Picks string fields of a JSON credential; the error names the missing or mistyped fields, never their values. */
export function stringFields<R extends string, O extends string = never>(
  record: Record<string, unknown>,
  what: string,
  required: readonly R[],
  optional: readonly O[] = [],
): Parsed<Record<R, string> & Partial<Record<O, string>>> {
  const missing = required.filter((k) => typeof record[k] !== "string" || record[k] === "");
  if (missing.length > 0) return { ok: false, result: failed("invalid", `${what}: missing or empty ${missing.join(", ")}`) };
  const wrong = optional.filter((k) => record[k] !== undefined && typeof record[k] !== "string");
  if (wrong.length > 0) return { ok: false, result: failed("invalid", `${what}: ${wrong.join(", ")} must be a string`) };
  const fields = Object.fromEntries([...required, ...optional].filter((k) => typeof record[k] === "string").map((k) => [k, record[k]]));
  return { ok: true, value: fields as Record<R, string> & Partial<Record<O, string>> };
}

/** jsonObject then stringFields: the usual shape of a JSON credential ({ accessKeyId, secretAccessKey }, …). */
export function jsonFields<R extends string, O extends string = never>(value: string, what: string, required: readonly R[], optional: readonly O[] = []) {
  const object = jsonObject(value, what);
  return object.ok ? stringFields(object.value, what, required, optional) : object;
}
