import { HttpProblem } from "./problem.js";

/** Reads an optional enum query parameter, naming it when the value is not allowed. */
export function enumParam<T extends string>(url: URL, name: string, allowed: readonly T[]): T | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new HttpProblem(400, "Invalid query parameter", `${name} must be one of ${allowed.join(", ")}`, name);
  return v as T;
}

export function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpProblem(400, "Invalid query parameter", `${name} must be an integer from ${min} to ${max}`, name);
  return n;
}
