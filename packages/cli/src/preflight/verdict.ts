import type { CombinedSchema, CombinedSecret } from "@keyward/secrets";
import type { PreflightResult, PreflightRules } from "@keyward/spec";

/** The rules the server checks a value against: the schema's own keywords, nothing else. */
export function rulesOf(secret: CombinedSecret): PreflightRules | undefined {
  const rules: PreflightRules = {
    ...(secret.pattern !== undefined ? { pattern: secret.pattern } : {}),
    ...(secret.minLength !== undefined ? { minLength: secret.minLength } : {}),
    ...(secret.maxLength !== undefined ? { maxLength: secret.maxLength } : {}),
    ...(secret.enum !== undefined ? { enum: secret.enum } : {}),
    ...(secret.format !== undefined ? { format: secret.format } : {}),
  };
  return Object.keys(rules).length > 0 ? rules : undefined;
}

/** The request's secrets, in the schema's order. */
export function preflightSecrets(schema: CombinedSchema): { name: string; rules?: PreflightRules }[] {
  return Object.entries(schema.properties).map(([name, secret]) => {
    const rules = rulesOf(secret);
    return rules ? { name, rules } : { name };
  });
}

/** Why a secret will not be served, in the order an admin fixes it; undefined when it will be. */
export function whyNotServed(r: PreflightResult): string | undefined {
  if (r.served) return undefined;
  if (r.token !== "approved") return `token ${r.token === "none" ? "not registered" : r.token}`;
  if (r.valueState === "missing" || r.valueState === "stub") return "no value";
  if (r.valueState === "disabled") return "disabled";
  if (r.access !== "granted") return r.access === "none" ? "access not requested yet" : `access ${r.access}`;
  if (r.rule === "fails") return `value fails ${r.failedRule ?? "its rules"}`;
  return "not served";
}

export interface Verdict extends PreflightResult {
  optional: boolean;
  /** "served", "absent (optional): <why>" or "NOT served: <why>". */
  verdict: string;
  /** Whether this secret blocks the app: required and not served. */
  blocks: boolean;
}

export function verdicts(results: PreflightResult[], schema: CombinedSchema): Verdict[] {
  return results.map((r) => {
    const optional = schema.properties[r.name]?.["x-keyward"].optional ?? false;
    const why = whyNotServed(r);
    const verdict = why === undefined ? "served" : optional ? `absent (optional): ${why}` : `NOT served: ${why}`;
    return { ...r, optional, verdict, blocks: why !== undefined && !optional };
  });
}
