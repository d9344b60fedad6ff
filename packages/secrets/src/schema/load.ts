import path from "node:path";
import { readJsonFile } from "./json.js";
import type { SecretsSchemaFile } from "./types.js";
import { validateSchema } from "./validate.js";

/** Reads, parses and validates one secrets.schema.json; throws a SchemaError naming the file. */
export function loadSchemaFile(file: string): SecretsSchemaFile {
  const absolute = path.resolve(file);
  return validateSchema(readJsonFile(absolute), absolute);
}
