import path from "node:path";
import { ENVIRONMENT_NAME_PATTERN } from "../schema/constants.js";
import { SchemaError, type SchemaIssue } from "../schema/errors.js";
import { readJsonFile } from "../schema/json.js";

/** The package's codegen settings: the "keyward" section of its package.json. */
export interface KeywardConfig {
  /**
   * The environment the generated `createSecretsClient` uses when neither the caller nor
   * KEYWARD_ENVIRONMENT names one, e.g. "development". Undefined: no wrapper is generated.
   */
  environment?: string;
}

const KEYS = ["environment"] as const;
const ENVIRONMENT_NAME = new RegExp(ENVIRONMENT_NAME_PATTERN);

/**
 * Reads and checks `package.json` "keyward" in `packageDir`. Every problem is reported at once as
 * an `invalid_config` SchemaError naming the file, the key and a fix.
 */
export function loadKeywardConfig(packageDir: string): KeywardConfig {
  const file = path.join(packageDir, "package.json");
  // A repeated key inside "keyward" (or a second "keyward") would silently lose a setting; the rest of package.json is not ours.
  const pkg = readJsonFile(file, { duplicateKeys: { code: "invalid_config", matters: (tokens) => tokens[0] === "keyward" } }) as Record<string, unknown> | null;
  const section = pkg && typeof pkg === "object" ? pkg.keyward : undefined;
  if (section === undefined) return {};
  const issues: SchemaIssue[] = [];
  if (section === null || typeof section !== "object" || Array.isArray(section)) {
    issues.push({ file, pointer: "/keyward", message: `"keyward" must be an object, got ${JSON.stringify(section)}`, fix: 'write "keyward": { "environment": "development" }' });
    throw new SchemaError("invalid_config", issues);
  }
  const config = section as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      issues.push({ file, pointer: `/keyward/${key}`, message: `unknown key "${key}" in "keyward"`, fix: `"keyward" accepts only ${KEYS.join(", ")}` });
    }
  }
  const environment = config.environment;
  if (environment !== undefined && (typeof environment !== "string" || !ENVIRONMENT_NAME.test(environment))) {
    issues.push({
      file,
      pointer: "/keyward/environment",
      message: `"keyward.environment" must be an environment name (a lower-case letter, then lower-case letters, digits and -, up to 63 characters), got ${JSON.stringify(environment)}`,
      fix: 'e.g. "environment": "development"',
    });
  }
  if (issues.length > 0) throw new SchemaError("invalid_config", issues);
  return environment === undefined ? {} : { environment: environment as string };
}
