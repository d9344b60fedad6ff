import fs from "node:fs";
import path from "node:path";
import { loadSchemaFile, SchemaError, type SecretDefinition, type SecretsSchemaFile } from "../schema/load.js";

export const SCHEMA_FILE = "secrets.schema.json";

function readPackage(dir: string): { name: string; deps: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; dependencies?: object; optionalDependencies?: object; peerDependencies?: object };
  return { name: pkg.name ?? path.basename(dir), deps: [pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies].flatMap((d) => Object.keys(d ?? {})) };
}

/** Resolves a dependency as Node does: the nearest node_modules/<name> walking up from `from`. */
function resolveDependency(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

const canonical = (d: SecretDefinition) => JSON.stringify(d, Object.keys(d).sort());

/** The package's schema plus its dependencies' schemas, each secret tagged with its source, sorted by name. */
export function combineSchemas(packageDir: string): SecretsSchemaFile {
  const found = new Map<string, SecretDefinition>();
  const visited = new Set<string>();
  const walk = (dir: string) => {
    const real = fs.realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    const pkg = readPackage(real);
    const file = path.join(real, SCHEMA_FILE);
    if (fs.existsSync(file)) {
      for (const [name, def] of Object.entries(loadSchemaFile(file).properties)) {
        const tagged: SecretDefinition = { ...def, type: "string", "x-keyward": { type: "generic", rotationDays: 90, optional: false, ...def["x-keyward"], source: pkg.name } };
        const prior = found.get(name);
        if (prior && canonical({ ...prior, "x-keyward": { ...prior["x-keyward"], source: "" } }) !== canonical({ ...tagged, "x-keyward": { ...tagged["x-keyward"], source: "" } })) {
          throw new SchemaError(file, `/properties/${name}`, `secret ${name} is declared differently by ${prior["x-keyward"]?.source} and ${pkg.name}`, "make the two declarations identical, or rename one");
        }
        if (!prior) found.set(name, tagged);
      }
    }
    for (const dep of pkg.deps) {
      const depDir = resolveDependency(real, dep);
      if (depDir) walk(depDir);
    }
  };
  walk(packageDir);
  const properties = Object.fromEntries([...found.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { type: "object", properties };
}
