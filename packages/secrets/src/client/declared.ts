import { secretTypeOf, type SecretRef } from "@keyward/proto";
import { pickDeclaredRules } from "@keyward/secret-types";
import { SecretsClientError } from "./errors.js";
import type { SecretsSchemaDoc } from "./types.js";

export type SecretDef = SecretsSchemaDoc["properties"][string];

/** The schema's definition of `name`; untyped callers (plain JS) get a clear error for an undeclared name. */
export function declaredSecret(schema: SecretsSchemaDoc, name: string): SecretDef {
  const def = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
  if (!def) throw new SecretsClientError(name, "not_declared", `secret ${name} is not declared in the schema; add it to secrets.schema.json and run keyward-secrets generate`);
  return def;
}

export const isOptional = (def: SecretDef) => def["x-keyward"]?.optional === true;

/** The names asked for, each once, or every declared name. */
export function requestedNames(schema: SecretsSchemaDoc, names: readonly string[] | undefined): string[] {
  const list = names === undefined ? Object.keys(schema.properties) : [...new Set(names)];
  for (const name of list) declaredSecret(schema, name);
  return list;
}

/**
 * What the service is told about a secret it is asked for: the description and the declared
 * policy (type, rotation, reminder window) and value rules (pattern, format, minLength, maxLength,
 * enum: the server checks every value it is given against them), recorded on a new stub and
 * compared with what is stored.
 */
export function secretRef(schema: SecretsSchemaDoc, name: string): SecretRef {
  const def = declaredSecret(schema, name);
  const ext = def["x-keyward"] ?? {};
  return { name, description: def.description, policy: { type: secretTypeOf(ext.type ?? ""), rotationDays: ext.rotationDays ?? 0, reminderDays: ext.reminderDays ?? 0, rulesJson: rulesJsonOf(def) } };
}

function rulesJsonOf(def: SecretDef): string {
  const rules = pickDeclaredRules(def as Record<string, unknown>);
  return rules ? JSON.stringify(rules) : "";
}
