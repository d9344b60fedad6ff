import path from "node:path";
import { readJsonFile } from "./json.js";
import type { SecretsSchemaFile } from "./types.js";
import { validateSchema } from "./validate.js";

/** Reads, parses and validates one secrets.schema.json; throws a SchemaError naming the file. */
export function loadSchemaFile(file: string): SecretsSchemaFile {
  const absolute = path.resolve(file);
  // A secret declared twice would otherwise lose its first declaration without a word (JSON.parse keeps the last).
  return validateSchema(readJsonFile(absolute, { duplicateKeys: { code: "invalid_schema" } }), absolute);
}
