import type { NamingRule } from "./types.js";

export type NamingCase = "as-is" | "lower" | "kebab";
const CASES: readonly NamingCase[] = ["as-is", "lower", "kebab"];

/** STRIPE_API_KEY → "STRIPE_API_KEY" (as-is), "stripe_api_key" (lower), "stripe-api-key" (kebab). */
export function applyCase(name: string, mode: NamingCase): string {
  if (mode === "lower") return name.toLowerCase();
  if (mode === "kebab") return name.toLowerCase().replace(/_/g, "-");
  return name;
}

/**
 * What is wrong with a naming rule, one line per problem (empty: fine). `setting` names the option
 * in the messages, e.g. "vault.naming".
 */
export function namingProblems(rule: unknown, setting: string): string[] {
  if (rule === undefined || typeof rule === "function") return [];
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return [`${setting} must be { template, case } or a function of the schema name, got ${typeof rule}`];
  const { template, case: mode, ...rest } = rule as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(rest)) problems.push(`${setting}.${key} is not an option (template, case)`);
  if (template !== undefined && (typeof template !== "string" || !template.includes("{name}"))) problems.push(`${setting}.template must be a string containing {name}, e.g. "apps/billing/{name}", got ${JSON.stringify(template)}`);
  if (mode !== undefined && !CASES.includes(mode as NamingCase)) problems.push(`${setting}.case must be one of ${CASES.map((c) => JSON.stringify(c)).join(", ")}, got ${JSON.stringify(mode)}`);
  return problems;
}

/**
 * The naming rule as a function from schema name to provider path: `rule` when given, else the
 * provider's `fallback`. A template replaces every {name} with the name after `case` (default "as-is").
 * A function's answer must be a non-empty string (checked on use: a TypeError naming the secret).
 */
export function namingFunction(rule: NamingRule | undefined, fallback: Exclude<NamingRule, (name: string) => string> = {}): (name: string) => string {
  const chosen = rule ?? fallback;
  if (typeof chosen === "function") {
    return (name) => {
      const path = chosen(name);
      if (typeof path !== "string" || path === "") throw new TypeError(`the naming rule gave no path for secret ${name} (a non-empty string is required)`);
      return path;
    };
  }
  const template = chosen.template ?? "{name}";
  const mode = chosen.case ?? "as-is";
  return (name) => template.replaceAll("{name}", applyCase(name, mode));
}
