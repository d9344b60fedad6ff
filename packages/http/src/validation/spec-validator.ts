import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openapiDocument, type OperationId } from "@keyward/spec";
import { operationsById, type SpecOperation } from "./operations.js";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const DOC = "keyward-openapi";
/** Every date-time input is an instant in 1970-01-01..9999-12-31 (UTC). */
const DATE_TIME_MIN = Date.parse("1970-01-01T00:00:00.000Z");
const DATE_TIME_MAX = Date.parse("9999-12-31T23:59:59.999Z");

/** Where a request value came from; a problem names the field without the location. */
export type Location = "path" | "query" | "body";
export interface FieldProblem {
  location: Location;
  field: string;
  message: string;
}

function newAjv(coerce: boolean): Ajv2020 {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's own keywords are not schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: coerce, useDefaults: false, validateSchema: false });
  addFormats(ajv);
  // RFC 3339 allows a leap second (23:59:60) that Date cannot hold, and an offset can move
  // 9999-12-31 into year 10000, which Date writes as "+010000-…" and PostgreSQL refuses. The instant
  // itself must lie in 1970..9999 (the spec's pattern bounds only the written year) (issue #20).
  const rfc3339 = ajv.formats["date-time"] as { validate: (s: string) => boolean; compare?: (a: string, b: string) => number | undefined };
  const inRange = (s: string) => {
    const t = Date.parse(s);
    return t >= DATE_TIME_MIN && t <= DATE_TIME_MAX;
  };
  ajv.addFormat("date-time", { type: "string", validate: (s: string) => rfc3339.validate(s) && inRange(s), ...(rfc3339.compare ? { compare: rfc3339.compare } : {}) });
  ajv.addSchema(openapiDocument as object, DOC);
  return ajv;
}

const ref = (pointer: string) => ({ $ref: `${DOC}#${pointer}` });

/** Turns ajv's first error into the field at fault and a message that never echoes the input. */
function toProblem(location: Location, error: ErrorObject, unknownWord: string): FieldProblem {
  const path = error.instancePath.split("/").slice(1).join(".");
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { location, field: path ? `${path}.${missing}` : missing, message: `${path ? `${path}.${missing}` : missing} is required` };
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const field = path ? `${path}.${extra}` : extra;
    return { location, field, message: `unknown ${unknownWord} ${field}` };
  }
  if (!path) return { location, field: location, message: `the ${location === "body" ? "body" : location} ${error.message ?? "is invalid"}` };
  const allowed = error.keyword === "enum" ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` : "";
  return { location, field: path, message: `${path} ${error.message ?? "is invalid"}${allowed}` };
}

interface CompiledOperation {
  op: SpecOperation;
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | undefined;
}

export interface SpecValidator {
  /**
   * Validates and coerces (query strings to numbers and booleans) a request's inputs; returns the
   * first problem, or the typed inputs.
   */
  request(operationId: OperationId, input: { path: Record<string, string>; query: Record<string, string>; body?: unknown }): FieldProblem | { path: Record<string, unknown>; query: Record<string, unknown>; body: unknown };
  /** Checks a response against the spec; returns a description of the mismatch, or undefined. */
  response(operationId: OperationId, status: number, contentType: string | null, body: unknown): string | undefined;
}

/** Request and response validators compiled from the bundled spec, never written by hand. */
export function createSpecValidator(): SpecValidator {
  const coercing = newAjv(true);
  const strict = newAjv(false);
  const compiled = new Map<OperationId, CompiledOperation>();
  const responseValidators = new Map<string, ValidateFunction>();

  const paramsSchema = (op: SpecOperation, where: "path" | "query") => {
    const params = op.parameters.filter((p) => p.in === where);
    return {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p.name, ref(p.schemaPointer)])),
      required: params.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
  };

  const forOperation = (operationId: OperationId): CompiledOperation => {
    let c = compiled.get(operationId);
    if (!c) {
      const op = operationsById.get(operationId);
      if (!op) throw new Error(`no operation ${operationId} in the spec`);
      c = {
        op,
        path: strict.compile(paramsSchema(op, "path")),
        query: coercing.compile(paramsSchema(op, "query")),
        body: op.bodyPointer ? strict.compile(ref(op.bodyPointer)) : undefined,
      };
      compiled.set(operationId, c);
    }
    return c;
  };

  return {
    request(operationId, input) {
      const c = forOperation(operationId);
      const path = { ...input.path };
      if (!c.path(path)) return toProblem("path", c.path.errors![0]!, "path parameter");
      const query: Record<string, unknown> = { ...input.query };
      if (!c.query(query)) return toProblem("query", c.query.errors![0]!, "query parameter");
      if (c.body) {
        // An optional body (requestBody.required false) may be left out entirely.
        if (input.body === undefined && !c.op.bodyRequired) return { path, query, body: undefined };
        if (!c.body(input.body)) return toProblem("body", c.body.errors![0]!, "field");
      } else if (input.body !== undefined) {
        return { location: "body", field: "body", message: `${c.op.method} ${c.op.path} takes no body` };
      }
      return { path, query, body: input.body };
    },
    response(operationId, status, contentType, body) {
      const op = forOperation(operationId).op;
      // An undeclared status falls to `default` (every error is a Problem), and is refused without one.
      const declared = op.responses[String(status)] ?? op.responses.default;
      if (!declared) return `${operationId} does not declare status ${status}`;
      const types = Object.keys(declared);
      if (types.length === 0) return body === undefined || body === "" ? undefined : `${operationId} ${status} declares no body`;
      const type = types.find((t) => (contentType ?? "").split(";")[0]!.trim() === t);
      if (!type) return `${operationId} ${status}: content type ${contentType} is not one of ${types.join(", ")}`;
      const key = `${declared[type]}`;
      let validate = responseValidators.get(key);
      if (!validate) responseValidators.set(key, (validate = strict.compile(ref(declared[type]!))));
      if (!validate(body)) return `${operationId} ${status}: ${strict.errorsText(validate.errors)}`;
      return undefined;
    },
  };
}

export const isFieldProblem = (v: unknown): v is FieldProblem => typeof v === "object" && v !== null && "message" in v && "location" in v;
