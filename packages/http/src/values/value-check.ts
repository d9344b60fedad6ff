import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValueCheck } from "@keyward/db";
import { parseDeclaredRules, type SecretTypeRegistry } from "@keyward/secret-types";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** The broken rule in words; ajv's own messages are not used, so nothing of the value can slip in. */
function ruleProblem(e: ErrorObject | undefined): string {
  const p = (e?.params ?? {}) as Record<string, unknown>;
  switch (e?.keyword) {
    case "pattern":
      return `rule pattern: does not match pattern ${String(p.pattern)}`;
    case "format":
      return `rule format: is not a valid ${String(p.format)}`;
    case "minLength":
      return `rule minLength: must be at least ${String(p.limit)} characters`;
    case "maxLength":
      return `rule maxLength: must be at most ${String(p.limit)} characters`;
    case "enum":
      return `rule enum: must be one of ${((p.allowedValues as unknown[]) ?? []).map(String).join(", ")}`;
    default:
      return `rule ${e?.keyword ?? "?"}: not met`;
  }
}

/**
 * The server's check of every value it is given (issue #17): the secret's type (the registry's
 * validator, whose metadata is stored with the version), then the rules the app's schema declared
 * (pattern, format, minLength, maxLength, enum), with ajv. Compiled rules are cached by their text.
 */
export function createValueCheck(registry: SecretTypeRegistry): ValueCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction | string>();
  const compile = (rulesJson: string): ValidateFunction | string => {
    const parsed = parseDeclaredRules(rulesJson);
    if ("problem" in parsed) return `the declared rules cannot be read (${parsed.problem})`;
    if (!parsed.ok) return ajv.compile({ type: "string" });
    try {
      return ajv.compile({ type: "string", ...parsed.ok });
    } catch {
      return `rule format: ${String(parsed.ok.format)} is not a format this server knows`;
    }
  };
  return (value, { type, rulesJson }) => {
    const typed = registry.validate(type, value);
    if (!typed.ok || !rulesJson) return typed;
    let rules = compiled.get(rulesJson);
    if (rules === undefined) {
      rules = compile(rulesJson);
      if (compiled.size < 1000) compiled.set(rulesJson, rules);
    }
    if (typeof rules === "string") return { ok: false, problem: rules };
    return rules(value) ? typed : { ok: false, problem: ruleProblem(rules.errors?.[0]) };
  };
}
