import { DEFAULT_REMINDER_DAYS, DEFAULT_ROTATION_DAYS, DEFAULT_SECRET_TYPE, JSON_SCHEMA_DRAFT } from "./constants.js";
import { SchemaError, type SchemaIssue } from "./errors.js";
import { compare, walkPackageGraph, type PackageNode } from "./graph.js";
import { loadSchemaFile } from "./load.js";
import { pointerFrom } from "./pointer.js";
import type { CombinedSchema, CombinedSecret, SecretDefinition, SecretsSchemaFile } from "./types.js";

/** One package's schema, as input to mergeSchemas. */
export interface SchemaSource {
  /** The package name, recorded as `x-keyward.source`. */
  source: string;
  file: string;
  schema: SecretsSchemaFile;
}

export interface CombineResult {
  schema: CombinedSchema;
  /** Every package walked, breadth-first from the starting one. */
  packages: PackageNode[];
  /** The secrets.schema.json files found in the graph, in walk order. */
  schemaFiles: string[];
}

/** The combined schema of a package: its own secrets.schema.json plus those of its runtime dependencies. */
export function combineSchemas(packageDir: string): CombinedSchema {
  return combineSchemaGraph(packageDir).schema;
}

/** combineSchemas, plus which packages and schema files went into it. */
export function combineSchemaGraph(packageDir: string): CombineResult {
  const packages = walkPackageGraph(packageDir);
  const sources: SchemaSource[] = packages.flatMap((p) => (p.schemaFile ? [{ source: p.name, file: p.schemaFile, schema: loadSchemaFile(p.schemaFile) }] : []));
  return { schema: mergeSchemas(sources), packages, schemaFiles: sources.map((s) => s.file) };
}

/**
 * Merges validated schemas in priority order. A secret declared identically more than once keeps
 * the first source (the walk is breadth-first, so the nearest package); a different declaration
 * of the same name is a conflict. Output keys are sorted, so equal input gives equal bytes.
 */
export function mergeSchemas(sources: SchemaSource[]): CombinedSchema {
  const merged = new Map<string, { secret: CombinedSecret; from: SchemaSource }>();
  const conflicts: SchemaIssue[] = [];
  for (const from of sources) {
    for (const [name, def] of Object.entries(from.schema.properties)) {
      const secret = normalizeSecret(def, from.source);
      const prior = merged.get(name);
      if (!prior) {
        merged.set(name, { secret, from });
        continue;
      }
      const differences = differingFields(prior.secret, secret);
      if (differences.length === 0) continue;
      const sameName = prior.from.source === from.source;
      conflicts.push({
        file: from.file,
        pointer: pointerFrom("properties", name),
        message: `secret ${name} is declared differently by ${prior.from.source} and ${from.source}${sameName ? " (two copies of the package)" : ""}: they differ in ${differences.join(", ")}`,
        fix: `make the two declarations identical (the other is ${prior.from.file} at ${pointerFrom("properties", name)}), or rename one of them, e.g. ${suggestPrefix(from.source)}_${name}`,
      });
    }
  }
  if (conflicts.length > 0) throw new SchemaError("conflict", conflicts);
  const names = [...merged.keys()].sort(compare);
  return sortKeysDeep({
    $schema: JSON_SCHEMA_DRAFT,
    type: "object",
    properties: Object.fromEntries(names.map((n) => [n, merged.get(n)!.secret])),
    required: names.filter((n) => !merged.get(n)!.secret["x-keyward"].optional),
    additionalProperties: false,
  } satisfies CombinedSchema);
}

/** A secret with every default written out, so that equal meaning gives equal JSON. */
export function normalizeSecret(def: SecretDefinition, source: string): CombinedSecret {
  const ext = def["x-keyward"] ?? {};
  return sortKeysDeep({
    ...def,
    type: "string",
    "x-keyward": { type: ext.type ?? DEFAULT_SECRET_TYPE, rotationDays: ext.rotationDays ?? DEFAULT_ROTATION_DAYS, reminderDays: ext.reminderDays ?? DEFAULT_REMINDER_DAYS, optional: ext.optional ?? false, source },
  });
}

function differingFields(a: CombinedSecret, b: CombinedSecret): string[] {
  const flat = (s: CombinedSecret): Record<string, string> => {
    const { "x-keyward": ext, ...rest } = s;
    const entries = Object.entries(rest).map(([k, v]) => [k, JSON.stringify(v)]);
    for (const [k, v] of Object.entries(ext)) if (k !== "source") entries.push([`x-keyward.${k}`, JSON.stringify(v)]);
    return Object.fromEntries(entries);
  };
  const [fa, fb] = [flat(a), flat(b)];
  return [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter((k) => fa[k] !== fb[k]).sort(compare);
}

function suggestPrefix(packageName: string): string {
  return (packageName.split("/").pop() ?? packageName).toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^[^A-Z]+/, "") || "PKG";
}

/** Object keys sorted recursively (array order is kept: it can carry meaning). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => compare(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)])) as T;
}
