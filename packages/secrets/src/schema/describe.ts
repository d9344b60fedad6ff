import type { ErrorObject } from "ajv";
import { DEFAULT_ROTATION_DAYS, KEYWARD_SECRET_TYPES, SECRET_NAME_MAX_LENGTH, SECRET_NAME_PATTERN, STRING_FORMATS } from "./constants.js";
import type { SchemaIssue } from "./errors.js";
import { secretsMetaSchema } from "./meta-schema.js";
import { pointerFrom, pointerTokens, valueAt } from "./pointer.js";

const allowedKeys = {
  top: Object.keys(secretsMetaSchema.properties),
  secret: Object.keys(secretsMetaSchema.$defs.secret.properties),
  extension: Object.keys(secretsMetaSchema.$defs.secret.properties["x-keyward"].properties),
};

const EXAMPLE_SECRET = '{ "type": "string", "description": "Stripe API key for charging cards" }';

/** Turns one ajv error into an issue with a pointer to the offending value and a concrete fix. */
export function describeAjvError(file: string, doc: unknown, err: ErrorObject): SchemaIssue | undefined {
  // ajv reports a bad property name twice (the inner pattern error carries the name); keep the inner one.
  if (err.keyword === "propertyNames") return undefined;
  const p = err.params as Record<string, unknown>;
  const child = err.propertyName ?? (err.keyword === "required" ? p.missingProperty : err.keyword === "additionalProperties" ? p.additionalProperty : undefined);
  const pointer = err.instancePath + (typeof child === "string" ? pointerFrom(child) : "");
  const tokens = pointerTokens(pointer);
  const value = valueAt(doc, pointer);
  const issue = (message: string, fix: string): SchemaIssue => ({ file, pointer, message, fix });

  if (err.propertyName !== undefined) {
    const name = err.propertyName;
    const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name);
    if (name.length > SECRET_NAME_MAX_LENGTH && /^[A-Z][A-Z0-9_]*$/.test(name)) {
      return issue(`secret name ${shown} is ${name.length} characters long; the Keyward service accepts at most ${SECRET_NAME_MAX_LENGTH}`, `shorten it to ${SECRET_NAME_MAX_LENGTH} characters or fewer`);
    }
    return issue(
      `secret name ${shown} is not UPPER_SNAKE_CASE (it must match ${SECRET_NAME_PATTERN})`,
      `rename it to ${JSON.stringify(suggestName(name))}: an uppercase letter, then uppercase letters, digits and underscores, like an environment variable (e.g. STRIPE_API_KEY), at most ${SECRET_NAME_MAX_LENGTH} characters`,
    );
  }
  const [first, name, keyword, extensionKey] = tokens;
  if (err.keyword === "required") {
    if (tokens.length === 1) return issue('the schema has no "properties"', `add "properties": { "STRIPE_API_KEY": ${EXAMPLE_SECRET} } with one entry per secret`);
    return issue(`secret ${name} has no "description"`, `add "description": "what ${name} is for and where it comes from", e.g. "Stripe API key for charging cards"`);
  }
  if (err.keyword === "additionalProperties") return unknownKey(issue, tokens, String(child));
  if (err.keyword === "maxLength") return issue(`${label(tokens)} ${reason(err, value)}`, `shorten it to ${String(p.limit)} characters or fewer; longer notes belong in the package's README`);

  const message = `${label(tokens)} ${reason(err, value)}`;
  if (tokens.length === 0) return issue(message, `start from { "type": "object", "properties": { "STRIPE_API_KEY": ${EXAMPLE_SECRET} } }`);
  if (first !== "properties") return issue(message, topLevelFix(first ?? ""));
  if (tokens.length === 1) return issue(message, `map each secret name to its definition: "properties": { "STRIPE_API_KEY": ${EXAMPLE_SECRET} }`);
  if (tokens.length === 2) return issue(message, `declare it as ${EXAMPLE_SECRET.replace("Stripe API key for charging cards", `what ${name} is for`)}`);
  if (keyword === "x-keyward" && tokens.length === 4) return issue(message, extensionFix(extensionKey ?? ""));
  return issue(message, secretKeywordFix(keyword ?? "", name ?? ""));
}

/** What the pointer designates, in words: `"pattern" of STRIPE_API_KEY`. */
function label(tokens: string[]): string {
  const [first, name, keyword, item] = tokens;
  if (first === undefined) return "the schema";
  if (first !== "properties") return JSON.stringify(first);
  if (name === undefined) return '"properties"';
  if (keyword === undefined) return `secret ${name}`;
  if (item === undefined) return `"${keyword}" of ${name}`;
  return keyword === "enum" ? `enum value ${item} of ${name}` : `"x-keyward.${item}" of ${name}`;
}

function reason(err: ErrorObject, value: unknown): string {
  const p = err.params as Record<string, unknown>;
  const got = ` (got ${describeValue(value)})`;
  switch (err.keyword) {
    case "type":
      return `must be ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${String(p.type)}${got}`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}${got}`;
    case "enum":
      return `is not an allowed value${got}`; // the fix lists them
    case "minimum":
      return `must be at least ${String(p.limit)}${got}`;
    case "maxLength":
      // Characters as the service counts them (code points, like ajv), not UTF-16 units.
      return `is ${typeof value === "string" ? [...value].length : "too many"} characters long; the Keyward service accepts at most ${String(p.limit)}`;
    case "minItems":
      return "must not be empty";
    case "uniqueItems":
      return `lists the same value twice (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))})`;
    case "pattern":
      return "must not be blank";
    default:
      return err.message ?? "is invalid";
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${typeof value} ${text.slice(0, 37)}..."` : text;
}

function unknownKey(issue: (message: string, fix: string) => SchemaIssue, tokens: string[], key: string): SchemaIssue {
  const [, name] = tokens;
  if (tokens.length === 1) {
    if (key === "required") return issue('"required" is not used in secrets.schema.json', 'remove it: every secret is required unless it says "x-keyward": { "optional": true }');
    return issue(`unknown top-level keyword ${JSON.stringify(key)}`, `remove it; allowed top-level keywords are ${allowedKeys.top.join(", ")}`);
  }
  if (tokens.length === 3) {
    if (allowedKeys.extension.includes(key)) return issue(`"${key}" of ${name} belongs under "x-keyward"`, `move it: "x-keyward": { "${key}": … }`);
    if (key === "default" || key === "examples" || key === "const") return issue(`"${key}" is not allowed in secret ${name}: a schema never holds secret values`, "remove it; the value is stored in Keyward");
    return issue(`unknown keyword ${JSON.stringify(key)} in secret ${name}`, `remove it or fix the spelling; a secret may use ${allowedKeys.secret.join(", ")}`);
  }
  if (key === "source") return issue(`"x-keyward.source" of ${name} is set by keyward-secrets, not by hand`, "remove it; combine records the package that declares each secret");
  const near = allowedKeys.extension.find((k) => k.toLowerCase() === key.toLowerCase().replace(/[^a-z]/g, ""));
  return issue(`unknown x-keyward key ${JSON.stringify(key)} in secret ${name}`, `${near ? `did you mean "${near}"? ` : ""}x-keyward accepts only ${allowedKeys.extension.join(", ")}`);
}

function topLevelFix(key: string): string {
  if (key === "type") return 'set "type": "object" (or leave it out)';
  if (key === "additionalProperties") return 'set "additionalProperties": false or leave it out; the combined schema never allows undeclared secrets';
  if (key === "$schema") return `use "$schema": "https://json-schema.org/draft/2020-12/schema"`;
  return `make "${key}" a string`;
}

function secretKeywordFix(keyword: string, name: string): string {
  switch (keyword) {
    case "type":
      return 'set "type": "string" or leave it out; every secret is a string';
    case "description":
      return `write what ${name} is for, e.g. "description": "Stripe API key for charging cards"`;
    case "pattern":
      return 'write the regular expression as a string, e.g. "pattern": "^sk_(live|test)_[A-Za-z0-9]+$"';
    case "minLength":
    case "maxLength":
      return `use a whole number of characters, e.g. "${keyword}": 32`;
    case "format":
      return `use one of ${STRING_FORMATS.join(", ")}; or drop "format" and use "pattern"`;
    case "enum":
      return 'list the allowed values as strings, each once, e.g. "enum": ["live", "test"]';
    case "x-keyward":
      return `use an object, e.g. "x-keyward": { "type": "api-key", "rotationDays": ${DEFAULT_ROTATION_DAYS}, "optional": false }`;
    default:
      return "see the schema format in the @keyward/secrets README";
  }
}

function extensionFix(key: string): string {
  switch (key) {
    case "type":
      return `use one of ${KEYWARD_SECRET_TYPES.join(", ")} (default generic)`;
    case "rotationDays":
      return `use a positive whole number of days, e.g. "rotationDays": ${DEFAULT_ROTATION_DAYS} (the default)`;
    case "optional":
      return "use true or false, without quotes";
    default:
      return "see the schema format in the @keyward/secrets README";
  }
}

/** A plausible UPPER_SNAKE_CASE spelling of a bad name, for the fix hint. */
export function suggestName(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^[^A-Z]+/, "")
    .replace(/_+$/, "");
  return (snake || "MY_SECRET").slice(0, SECRET_NAME_MAX_LENGTH).replace(/_+$/, "");
}
