import vm from "node:vm";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { PreflightRules } from "@keyward/spec";
import { HttpProblem } from "../../problem.js";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/**
 * How a value fares against its rules: ok, the first rule it fails (pattern, minLength, maxLength,
 * enum, format), or unchecked when its pattern ran past PATTERN_TIMEOUT_MS. Never the value.
 */
export type ValueCheck = (value: string) => { rule: "ok" } | { rule: "fails"; failed: string } | { rule: "unchecked" };

/**
 * The pattern comes from the caller, so a catastrophic one (e.g. ^(a+)+$) could hold the event loop
 * for minutes: it runs in a vm context whose timeout interrupts the regular expression itself.
 */
export const PATTERN_TIMEOUT_MS = 50;

function patternCheck(pattern: string, field: string): (value: string) => boolean | "timeout" {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "u");
  } catch (error) {
    throw new HttpProblem(400, "Invalid rules", `${field}/pattern cannot be checked: ${(error as Error).message.slice(0, 200)}`, field);
  }
  const script = new vm.Script("re.test(value)");
  return (value) => {
    try {
      return script.runInNewContext({ re, value }, { timeout: PATTERN_TIMEOUT_MS }) as boolean;
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "timeout";
      throw error;
    }
  };
}

/**
 * Compiles a secret's rules once per request (the same keywords the typed client checks, with the
 * same formats). A rule that does not compile (a bad pattern, an unknown format) is a 400 naming
 * `field`, e.g. secrets/2/rules.
 */
export function ruleChecker(): (rules: PreflightRules, field: string) => ValueCheck {
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  addFormats(ajv);
  return (rules, field) => {
    const { pattern, ...rest } = rules;
    const matches = pattern === undefined ? undefined : patternCheck(pattern, field);
    let validate: ValidateFunction;
    try {
      validate = ajv.compile({ type: "string", ...rest });
    } catch (error) {
      throw new HttpProblem(400, "Invalid rules", `${field} cannot be checked: ${(error as Error).message.slice(0, 200)}`, field);
    }
    return (value) => {
      if (!validate(value)) return { rule: "fails", failed: validate.errors?.[0]?.keyword ?? "rules" };
      const matched = matches?.(value);
      if (matched === "timeout") return { rule: "unchecked" };
      return matched === false ? { rule: "fails", failed: "pattern" } : { rule: "ok" };
    };
  };
}

/** A rules object as one string whatever its key order (enum order counts: it is a list). */
const canonical = (rules: Record<string, unknown>) => JSON.stringify(Object.keys(rules).sort().map((k) => [k, rules[k]]));

/**
 * Whether the rules a caller sent are the ones stored for the secret (declared by its services'
 * schemas). Only then is the value checked: a caller who chose the rules could ask pattern after
 * pattern (`^s`, `^sk`, …) and learn the value a character at a time.
 */
export function sameRules(sent: PreflightRules, storedJson: string | null | undefined): boolean {
  if (!storedJson) return false;
  let stored: unknown;
  try {
    stored = JSON.parse(storedJson);
  } catch {
    return false;
  }
  return typeof stored === "object" && stored !== null && !Array.isArray(stored) && canonical(sent) === canonical(stored as Record<string, unknown>);
}
