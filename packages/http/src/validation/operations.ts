import { openapiDocument, type OperationId } from "@keyward/spec";

// The spec, read once: every operation with its method, path, parameters, body and responses.
// JSON pointers into the bundled document let ajv resolve each schema's $refs in place.

type Json = Record<string, any>;
const doc = openapiDocument as unknown as Json;
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

export interface SpecParameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required: boolean;
  /** A JSON pointer to the parameter's schema in the bundled document. */
  schemaPointer: string;
}

export interface SpecOperation {
  operationId: OperationId;
  method: Uppercase<(typeof METHODS)[number]>;
  /** As in the spec, with {param} segments. */
  path: string;
  public: boolean;
  parameters: SpecParameter[];
  /** A pointer to the application/json request body schema, when the operation takes a body. */
  bodyPointer: string | undefined;
  /** Whether that body must be sent (`requestBody.required`); an optional one may be left out. */
  bodyRequired: boolean;
  /** status → content type → schema pointer (an empty map for a response without content). */
  responses: Record<string, Record<string, string>>;
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

function resolve(pointer: string): { node: Json; pointer: string } {
  let node = pointer.split("/").slice(1).reduce<Json>((n, part) => n[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  while (typeof node.$ref === "string") {
    pointer = node.$ref.slice(1);
    node = resolve(pointer).node;
  }
  return { node, pointer };
}

function parametersAt(pointer: string): SpecParameter[] {
  const list = (resolve(pointer).node ?? []) as Json[];
  return list.map((_, i) => {
    const { node, pointer: at } = resolve(`${pointer}/${i}`);
    return { name: node.name, in: node.in, required: node.required === true, schemaPointer: `${at}/schema` };
  });
}

export const specOperations: SpecOperation[] = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => {
    const at = `/paths/${escape(path)}/${m}`;
    const op = item[m] as Json;
    const params = [...(item.parameters ? parametersAt(`/paths/${escape(path)}/parameters`) : []), ...(op.parameters ? parametersAt(`${at}/parameters`) : [])];
    const responses = Object.fromEntries(
      Object.keys(op.responses).map((status) => {
        const { node, pointer } = resolve(`${at}/responses/${status}`);
        return [status, Object.fromEntries(Object.keys(node.content ?? {}).map((type) => [type, `${pointer}/content/${escape(type)}/schema`]))];
      }),
    );
    return {
      operationId: op.operationId as OperationId,
      method: m.toUpperCase() as SpecOperation["method"],
      path,
      public: Array.isArray(op.security) && op.security.length === 0,
      parameters: params,
      bodyPointer: op.requestBody ? `${resolve(`${at}/requestBody`).pointer}/content/application~1json/schema` : undefined,
      bodyRequired: op.requestBody ? resolve(`${at}/requestBody`).node.required === true : false,
      responses,
    };
  }),
);

export const operationsById = new Map(specOperations.map((o) => [o.operationId, o]));
