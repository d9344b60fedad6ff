import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { PreflightRules } from "@keyward/spec";
import { HttpProblem } from "../../problem.js";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** The first rule a value fails (pattern, minLength, maxLength, enum, format), or undefined when it satisfies all. Never the value. */
export type ValueCheck = (value: string) => string | undefined;

/**
 * Compiles a secret's rules once per request (the same keywords the typed client checks, with the
 * same formats). A rule that does not compile (a bad pattern, an unknown format) is a 400 naming
 * `field`, e.g. secrets/2/rules.
 */
export function ruleChecker(): (rules: PreflightRules, field: string) => ValueCheck {
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  addFormats(ajv);
  return (rules, field) => {
    let validate: ValidateFunction;
    try {
      validate = ajv.compile({ type: "string", ...rules });
    } catch (error) {
      throw new HttpProblem(400, "Invalid rules", `${field} cannot be checked: ${(error as Error).message.slice(0, 200)}`, field);
    }
    return (value) => (validate(value) ? undefined : (validate.errors?.[0]?.keyword ?? "rules"));
  };
}
