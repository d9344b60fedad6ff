import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as formatsModule from "ajv-formats";
import { SecretsClientError } from "./errors.js";
import type { SecretsSchemaDoc } from "./types.js";

// ajv-formats is CommonJS; under ESM its plugin is the default export, under CJS `.default` of it.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const formatsDefault = (formatsModule as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } }).default;
const addFormats: FormatsPlugin = formatsDefault.default ?? formatsDefault;

/** Formats JSON Schema 2020-12 names that ajv-formats cannot check; accepted without a check. */
const UNCHECKED_FORMATS = ["idn-email", "idn-hostname", "iri", "iri-reference"] as const;

/** The keywords of a secret that constrain its value. */
const RULE_KEYWORDS = ["type", "pattern", "minLength", "maxLength", "format", "enum"] as const;

/** Checks a fetched value against its secret's rules; the result names the secret and the rule, never the value. */
export type ValueValidator = (name: string, value: string) => SecretsClientError | undefined;

function describeRule(name: string, error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "pattern":
      return `the value of ${name} does not match its "pattern" ${String(p.pattern)}`;
    case "minLength":
      return `the value of ${name} is shorter than its "minLength" of ${String(p.limit)} characters`;
    case "maxLength":
      return `the value of ${name} is longer than its "maxLength" of ${String(p.limit)} characters`;
    case "format":
      return `the value of ${name} is not a valid "${String(p.format)}" (its "format")`;
    case "enum":
      return `the value of ${name} is not one of the ${(p.allowedValues as unknown[]).length} values of its "enum"`;
    case "type":
      return `the value of ${name} is not a string`;
    default:
      return `the value of ${name} fails its "${error.keyword}" rule`;
  }
}

/**
 * Compiles every secret's rules once, when the client is created, so a schema the client cannot
 * check (say, an unknown format) fails at startup rather than on the first fetch.
 */
export function createValueValidator(schema: SecretsSchemaDoc): ValueValidator {
  const ajv = new Ajv({ allErrors: false, strict: true, formats: Object.fromEntries(UNCHECKED_FORMATS.map((f) => [f, true])) });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  for (const [name, def] of Object.entries(schema.properties)) {
    const rules: Record<string, unknown> = { type: "string" };
    for (const keyword of RULE_KEYWORDS) {
      const rule = (def as Record<string, unknown>)[keyword];
      if (rule !== undefined) rules[keyword] = rule;
    }
    try {
      validators.set(name, ajv.compile(rules));
    } catch (error) {
      throw new SecretsClientError(name, "invalid_value", `the schema's rules for ${name} cannot be checked: ${(error as Error).message}`);
    }
  }
  return (name, value) => {
    const validate = validators.get(name);
    if (!validate || validate(value)) return undefined;
    const [first] = validate.errors ?? [];
    const message = first ? describeRule(name, first) : `the value of ${name} fails its schema`;
    return new SecretsClientError(name, "invalid_value", message);
  };
}
