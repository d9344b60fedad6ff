import { Ajv, type ValidateFunction } from "ajv";
import { describeAjvError } from "./describe.js";
import { SchemaError, type SchemaIssue } from "./errors.js";
import { secretsMetaSchema } from "./meta-schema.js";
import { pointerFrom } from "./pointer.js";
import type { SecretsSchemaFile } from "./types.js";

let compiled: ValidateFunction | undefined;

/** C0 controls and DEL, except tab, newline and carriage return: what the service refuses in a description (textProblem in @keyward/common). */
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function metaValidator(): ValidateFunction {
  // Compiled once per process: ajv compiles to code, which is the slow part.
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(secretsMetaSchema);
  return compiled;
}

/** Every problem in a parsed secrets.schema.json; empty when it is valid. `file` only labels the issues. */
export function findSchemaIssues(doc: unknown, file: string): SchemaIssue[] {
  const validate = metaValidator();
  const issues: SchemaIssue[] = [];
  if (!validate(doc)) {
    for (const err of validate.errors ?? []) {
      const issue = describeAjvError(file, doc, err);
      if (issue) issues.push(issue);
    }
  }
  const properties = (doc as { properties?: unknown } | null)?.properties;
  if (typeof properties === "object" && properties !== null && !Array.isArray(properties)) {
    for (const [name, def] of Object.entries(properties)) {
      if (typeof def === "object" && def !== null) issues.push(...semanticIssues(file, name, def as Record<string, unknown>));
    }
  }
  // Sorted by pointer, so the problems of one secret are listed together.
  return issues.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/** Checks JSON Schema cannot express: the regex compiles as JavaScript will use it, and the constraints agree. */
function semanticIssues(file: string, name: string, def: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const at = (...tokens: (string | number)[]) => pointerFrom("properties", name, ...tokens);
  if (typeof def.description === "string") {
    const control = CONTROL_BUT_WHITESPACE.exec(def.description);
    if (control) {
      issues.push({
        file,
        pointer: at("description"),
        message: `"description" of ${name} contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) at position ${control.index}`,
        fix: "remove it (tab, newline and carriage return are the only control characters the Keyward service accepts in a description)",
      });
    }
  }
  let regex: RegExp | undefined;
  if (typeof def.pattern === "string") {
    try {
      regex = new RegExp(def.pattern, "u");
    } catch (error) {
      issues.push({
        file,
        pointer: at("pattern"),
        message: `"pattern" of ${name} is not a valid regular expression: ${(error as Error).message}`,
        fix: 'correct the expression; it is compiled as new RegExp(pattern, "u"), where needless escapes such as \\_ or \\- outside [] are errors',
      });
    }
  }
  const { minLength, maxLength } = def;
  if (typeof minLength === "number" && typeof maxLength === "number" && minLength > maxLength) {
    issues.push({ file, pointer: at("minLength"), message: `"minLength" of ${name} (${minLength}) is greater than its "maxLength" (${maxLength})`, fix: "lower minLength or raise maxLength; as written no value can match" });
  }
  if (Array.isArray(def.enum)) {
    def.enum.forEach((value, index) => {
      if (typeof value !== "string") return;
      const problem =
        regex && !regex.test(value) ? `does not match its "pattern"` : typeof minLength === "number" && value.length < minLength ? `is shorter than "minLength"` : typeof maxLength === "number" && value.length > maxLength ? `is longer than "maxLength"` : undefined;
      if (problem) issues.push({ file, pointer: at("enum", index), message: `enum value ${index} of ${name} ${problem}, so it can never be accepted`, fix: "correct the value or the constraint (an enum alone already restricts the values)" });
    });
  }
  return issues;
}

/** Validates a parsed document and returns it typed; throws a SchemaError listing every problem. */
export function validateSchema(doc: unknown, file: string): SecretsSchemaFile {
  const issues = findSchemaIssues(doc, file);
  if (issues.length > 0) throw new SchemaError("invalid_schema", issues);
  return doc as SecretsSchemaFile;
}
