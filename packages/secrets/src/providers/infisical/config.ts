import { namingProblems } from "../naming.js";
import { ProviderError, type NamingRule } from "../types.js";

/** Settings of the Infisical provider (universal auth, a machine identity's client id and secret). */
export interface InfisicalProviderConfig {
  /** Schema name to provider path (see the README); default case "as-is". */
  naming?: NamingRule;
  /** Infisical Cloud (default "https://app.infisical.com"), "https://eu.infisical.com", or a self-hosted URL. */
  siteUrl?: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  /** The environment slug, e.g. "dev", "staging", "prod". */
  environment: string;
  /** The folder that relative paths live in (default "/"). */
  secretPath?: string;
  /** Resolve ${…} references in values (default true). */
  expandSecretReferences?: boolean;
  /** Include secrets imported into the folder (default true); the folder's own secrets win. */
  includeImports?: boolean;
}

const folderRe = /^\/([A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)?$/;

/** Checks the whole config and throws one invalid_config ProviderError naming every wrong field. */
export function validateInfisicalConfig(config: unknown): InfisicalProviderConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ProviderError("invalid_config", "infisical provider: the config must be an object");
  }
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(["siteUrl", "clientId", "clientSecret", "projectId", "environment", "secretPath", "expandSecretReferences", "includeImports", "naming"]);
  for (const key of Object.keys(c)) if (!known.has(key)) problems.push(`${key}: unknown field (expected one of ${[...known].join(", ")})`);
  if (c.siteUrl !== undefined) {
    let ok = false;
    if (typeof c.siteUrl === "string") {
      try {
        const u = new URL(c.siteUrl);
        ok = (u.protocol === "https:" || u.protocol === "http:") && u.search === "";
      } catch {
        ok = false;
      }
    }
    if (!ok) problems.push(`siteUrl: expected an http(s) URL such as "https://app.infisical.com"`);
  }
  const required = (key: string, what: string) => {
    if (typeof c[key] !== "string" || (c[key] as string).trim() === "") problems.push(`${key}: required, ${what}`);
  };
  required("clientId", "the machine identity's universal-auth client id");
  required("clientSecret", "the machine identity's universal-auth client secret");
  required("projectId", "the project's id");
  required("environment", `an environment slug such as "dev" or "prod"`);
  if (typeof c.environment === "string" && c.environment !== "" && !/^[a-z0-9-_]+$/i.test(c.environment)) problems.push("environment: expected a slug (letters, digits, '-', '_')");
  if (c.secretPath !== undefined && (typeof c.secretPath !== "string" || !folderRe.test(c.secretPath))) {
    problems.push(`secretPath: expected a folder path such as "/" or "/apps/billing"`);
  }
  for (const key of ["expandSecretReferences", "includeImports"]) {
    if (c[key] !== undefined && typeof c[key] !== "boolean") problems.push(`${key}: expected true or false`);
  }
  problems.push(...namingProblems(c.naming, "naming"));
  if (problems.length > 0) throw new ProviderError("invalid_config", `infisical provider config is invalid:\n  - ${problems.join("\n  - ")}`);
  return c as unknown as InfisicalProviderConfig;
}

/**
 * A provider path is a secret key in the configured folder ("STRIPE_API_KEY") or an absolute
 * "/folder/sub/KEY" (folder and key). Default naming: the schema name as-is.
 */
export function parseInfisicalPath(path: string, baseFolder: string): { folder: string; key: string } | undefined {
  if (!path.startsWith("/")) return /^[A-Za-z0-9_.-]+$/.test(path) ? { folder: baseFolder, key: path } : undefined;
  const at = path.lastIndexOf("/");
  const folder = at === 0 ? "/" : path.slice(0, at);
  const key = path.slice(at + 1);
  if (!folderRe.test(folder) || !/^[A-Za-z0-9_.-]+$/.test(key)) return undefined;
  return { folder, key };
}

/** Infisical keys are usually env-var style: the schema name as-is (STRIPE_API_KEY). */
export const infisicalDefaultNaming: NamingRule = { case: "as-is" };
