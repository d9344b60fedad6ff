import fs from "node:fs";

export interface SecretDefinition {
  type: "string";
  description: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  enum?: string[];
  "x-keyward"?: { type?: string; rotationDays?: number; optional?: boolean; source?: string };
}
export interface SecretsSchemaFile {
  type: "object";
  properties: Record<string, SecretDefinition>;
}

/** A problem in a schema file: where (file and JSON pointer), what, and how to fix it. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}${pointer ? ` at ${pointer}` : ""}: ${problem}. Fix: ${fix}`);
    this.name = "SchemaError";
  }
}

const NAME = /^[A-Z][A-Z0-9_]*$/;
const ALLOWED = new Set(["type", "description", "pattern", "minLength", "maxLength", "format", "enum", "x-keyward"]);

/** Reads and checks one secrets.schema.json. */
export function loadSchemaFile(file: string): SecretsSchemaFile {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new SchemaError(file, "", `is not valid JSON (${(e as Error).message})`, "correct the JSON syntax");
  }
  return validateSchema(json, file);
}

export function validateSchema(json: unknown, file: string): SecretsSchemaFile {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SchemaError(file, "", "the schema is not a JSON object", 'start from { "type": "object", "properties": {} }');
  const doc = json as Record<string, unknown>;
  if (doc.type !== undefined && doc.type !== "object") throw new SchemaError(file, "/type", 'type must be "object"', 'set "type": "object"');
  const props = doc.properties ?? {};
  if (typeof props !== "object" || props === null || Array.isArray(props)) throw new SchemaError(file, "/properties", "properties must be an object", "declare one property per secret");
  for (const [name, def] of Object.entries(props as Record<string, unknown>)) {
    const at = `/properties/${name}`;
    if (!NAME.test(name)) throw new SchemaError(file, at, `secret name ${JSON.stringify(name)} is not upper snake case`, "rename it like STRIPE_API_KEY");
    if (typeof def !== "object" || def === null) throw new SchemaError(file, at, "a secret must be an object", 'use { "type": "string", "description": "…" }');
    const d = def as Record<string, unknown>;
    if (d.type !== undefined && d.type !== "string") throw new SchemaError(file, `${at}/type`, 'secrets are strings', 'set "type": "string"');
    if (typeof d.description !== "string" || d.description.trim() === "") throw new SchemaError(file, `${at}/description`, "description is required", "say what the secret is for, e.g. \"Stripe API key for payments\"");
    for (const key of Object.keys(d)) if (!ALLOWED.has(key)) throw new SchemaError(file, `${at}/${key}`, `unknown keyword ${key}`, `use only ${[...ALLOWED].join(", ")}`);
    if (d.pattern !== undefined) {
      try {
        new RegExp(String(d.pattern), "u");
      } catch (e) {
        throw new SchemaError(file, `${at}/pattern`, `pattern is not a valid regular expression (${(e as Error).message})`, "correct the regular expression");
      }
    }
  }
  return { type: "object", properties: props as Record<string, SecretDefinition> };
}
