import fs from "node:fs";
import path from "node:path";
import { SCHEMA_FILE_NAME, SchemaError } from "@keyward/secrets";
import { applyPlan, loadWorkflow, planWorkflow, WorkflowError } from "@keyward/workflows";
import { CliError, EXIT } from "../exit-codes.js";
import type { OnboardAnswers } from "./answers.js";
import { providerClientSource, providerDependencies } from "./providers.js";

/** The first line client/init writes into secrets-client.ts: a file still starting with it is the generated Keyward one. */
const KEYWARD_CLIENT_MARK = "// The typed Keyward client for ";

/**
 * For a provider other than Keyward: secrets-client.ts with that provider (replacing client/init's
 * Keyward client, never a file someone changed) and the provider's SDK in package.json. Returns the
 * files written; running it again writes nothing.
 */
function wireProvider(answers: OnboardAnswers, dir: string): string[] {
  const source = answers.provider ? providerClientSource(answers.service, answers.provider) : undefined;
  if (source === undefined) return [];
  const written: string[] = [];
  const clientFile = path.join(dir, "secrets-client.ts");
  const current = fs.existsSync(clientFile) ? fs.readFileSync(clientFile, "utf8") : undefined;
  if (current === undefined || (current !== source && current.startsWith(KEYWARD_CLIENT_MARK))) {
    fs.writeFileSync(clientFile, source);
    written.push("secrets-client.ts");
  }
  const pkgFile = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { dependencies?: Record<string, string> };
  const missing = Object.entries(providerDependencies(answers.provider!.kind)).filter(([name]) => pkg.dependencies?.[name] === undefined);
  if (missing.length > 0) {
    pkg.dependencies = { ...pkg.dependencies, ...Object.fromEntries(missing) };
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
    written.push("package.json");
  }
  return written;
}

/** The version of Keyward's packages a wired app depends on. */
const KEYWARD_VERSION = "^0.1.0";

export interface ScaffoldResult {
  /** Files written, relative to the app directory. */
  written: string[];
  /** Secrets added to secrets.schema.json. */
  added: string[];
  /** Secrets the schema already declared (kept as they are). */
  kept: string[];
}

/** The names secrets.schema.json declares now (none when it does not exist). */
export function declaredSecrets(dir: string): string[] {
  const file = path.join(dir, SCHEMA_FILE_NAME);
  if (!fs.existsSync(file)) return [];
  try {
    return Object.keys((JSON.parse(fs.readFileSync(file, "utf8")) as { properties?: Record<string, unknown> }).properties ?? {});
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message}); fix it first`, EXIT.failed);
  }
}

/**
 * The workflows' steps, reused: secrets/add declares each new secret and regenerates secrets.ts,
 * then client/init wires the typed client (keeping the schema). Secrets already declared
 * are kept as they are, so running onboard twice changes nothing.
 */
export async function scaffoldApp(answers: OnboardAnswers, cwd: string): Promise<ScaffoldResult> {
  const dir = path.resolve(cwd, answers.dir);
  if (!fs.existsSync(path.join(dir, "package.json"))) throw new CliError(`${dir} has no package.json; point dir at the app's package`, EXIT.usage);
  const common = { cwd, dir: answers.dir, keywardVersion: KEYWARD_VERSION, ...(answers.keywardLink ? { keywardLink: path.resolve(cwd, answers.keywardLink) } : {}) };
  const written: string[] = [];
  try {
    const existing = new Set(declaredSecrets(dir));
    const added: string[] = [];
    // Secrets first: their types are generated from the app's own packages, before client/init adds
    // a dependency that is installed only by the app's next `pnpm install`.
    for (const secret of answers.secrets.filter((s) => !existing.has(s.name))) {
      const plan = planWorkflow(loadWorkflow("secrets/add"), { ...common, name: secret.name, description: secret.description, ...(secret.type ? { type: secret.type } : {}), ...(secret.optional ? { optional: true } : {}) });
      const result = await applyPlan(plan);
      written.push(...result.written, ...result.generated);
      added.push(secret.name);
    }
    if (answers.wireClient) {
      // A provider's secrets-client.ts (from an earlier run) differs from client/init's on purpose: client/init ran then.
      const clientFile = path.join(dir, "secrets-client.ts");
      const providerClientThere = (answers.provider?.kind ?? "keyward") !== "keyward" && fs.existsSync(clientFile) && !fs.readFileSync(clientFile, "utf8").startsWith(KEYWARD_CLIENT_MARK);
      if (!providerClientThere) written.push(...(await applyPlan(planWorkflow(loadWorkflow("client/init"), { ...common, name: answers.service }))).written);
      written.push(...wireProvider(answers, dir));
    }
    return { written: [...new Set(written)], added, kept: answers.secrets.filter((s) => existing.has(s.name)).map((s) => s.name) };
  } catch (error) {
    if (error instanceof WorkflowError || error instanceof SchemaError) throw new CliError(error.message, EXIT.failed);
    throw error;
  }
}
