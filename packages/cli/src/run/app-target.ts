import fs from "node:fs";
import path from "node:path";
import { serviceNameProblem, UsageError } from "@keyward/common";
import { combineSchemas, loadSchemaFile, mergeSchemas, parseDotenv, SchemaError, SecretsConfigError, type CombinedSchema } from "@keyward/secrets";
import { CliError, EXIT } from "../exit-codes.js";
import { serviceNameFromPackage } from "./service-name.js";

/** Which app `run` and `preflight` act for: its combined schema and where its settings come from. */
export interface AppTarget {
  dir: string;
  schema: CombinedSchema;
  /** The app's package.json, when it has one. */
  pkg: { name?: string; keyward?: { environment?: string } } | undefined;
  /** KEYWARD_* lines of the app's .env (written by keyward onboard); never a secret. */
  dotenv: Record<string, string>;
}

/**
 * The app's combined schema: --schema PATH (one secrets.schema.json, validated), else the package
 * at --app DIR (default: the current directory) combined with its dependencies' schemas, the same
 * combine as keyward-secrets generate. Schema problems surface as the SchemaError naming file and pointer.
 */
export function resolveAppTarget(flags: { schema?: string; app?: string }, cwd: string): AppTarget {
  try {
    return loadAppTarget(flags, cwd);
  } catch (error) {
    if (error instanceof SchemaError) throw new CliError(error.format(cwd), EXIT.failed);
    throw error;
  }
}

function loadAppTarget(flags: { schema?: string; app?: string }, cwd: string): AppTarget {
  if (flags.schema !== undefined && flags.app !== undefined) throw new UsageError("give --schema PATH or --app DIR, not both");
  const dir = path.resolve(cwd, flags.schema !== undefined ? path.dirname(flags.schema) : (flags.app ?? "."));
  if (!fs.existsSync(dir)) throw new UsageError(`--app ${flags.app}: no such directory`);
  let schema: CombinedSchema;
  if (flags.schema !== undefined) {
    const file = path.resolve(cwd, flags.schema);
    if (!fs.existsSync(file)) throw new UsageError(`--schema ${flags.schema}: no such file`);
    schema = mergeSchemas([{ source: path.basename(dir), file, schema: loadSchemaFile(file) }]);
  } else {
    if (!fs.existsSync(path.join(dir, "package.json"))) throw new UsageError(`${dir} has no package.json; pass --app DIR (an app package) or --schema PATH`);
    schema = combineSchemas(dir);
  }
  const pkgFile = path.join(dir, "package.json");
  const pkg = fs.existsSync(pkgFile) ? (readJson(pkgFile) as AppTarget["pkg"]) : undefined;
  return { dir, schema, pkg, dotenv: keywardSettings(path.join(dir, ".env")) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message})`, EXIT.failed);
  }
}

/** Only the KEYWARD_* settings of an app's .env: the app's own variables (maybe values) are not read into memory beyond the parse. */
function keywardSettings(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  try {
    const all = parseDotenv(fs.readFileSync(file, "utf8"), file);
    return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith("KEYWARD_")));
  } catch (error) {
    if (error instanceof SecretsConfigError) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
}

/**
 * --service, else KEYWARD_SERVICE_NAME, else the app's .env, else its package.json "name" by the
 * rule keyward onboard uses (the npm scope dropped: "@acme/billing-api" → "billing-api"). A name that
 * is not a valid service name is refused here, naming where it came from, not by the service.
 */
export function serviceNameFor(target: AppTarget, flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const given =
    flag !== undefined
      ? { name: flag, from: "--service" }
      : env.KEYWARD_SERVICE_NAME
        ? { name: env.KEYWARD_SERVICE_NAME, from: "KEYWARD_SERVICE_NAME" }
        : target.dotenv.KEYWARD_SERVICE_NAME
          ? { name: target.dotenv.KEYWARD_SERVICE_NAME, from: `KEYWARD_SERVICE_NAME in ${path.join(target.dir, ".env")}` }
          : undefined;
  if (given) {
    const problem = serviceNameProblem(given.name);
    if (problem) throw new UsageError(`${given.from} ${JSON.stringify(given.name)} is not a service name: ${problem}`);
    return given.name;
  }
  const packageName = target.pkg?.name;
  if (!packageName) throw new UsageError("which service is this? pass --service NAME (or set KEYWARD_SERVICE_NAME, or give the app's package.json a name)");
  const derived = serviceNameFromPackage(packageName);
  if (!derived) {
    throw new UsageError(
      `no service name: the default comes from package.json "name" in ${target.dir} (${JSON.stringify(packageName)}, without its @scope/), which gives no valid one (a service name is lower case letters, digits and -, e.g. identity-service); pass --service NAME (or set KEYWARD_SERVICE_NAME)`,
    );
  }
  return derived;
}

/** --environment, else KEYWARD_ENVIRONMENT, else the app's .env, else package.json "keyward": { "environment" }; undefined: the service's default. */
export function environmentFor(target: AppTarget, flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? (env.KEYWARD_ENVIRONMENT || undefined) ?? target.dotenv.KEYWARD_ENVIRONMENT ?? target.pkg?.keyward?.environment;
}
