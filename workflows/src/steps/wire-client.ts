import { WorkflowError } from "../errors.js";
import type { StepContext, StepEdit } from "./types.js";

/** A scaffolded app runs in development until KEYWARD_ENVIRONMENT (or its package.json) says otherwise. */
const DEFAULT_ENVIRONMENT = "development";

/**
 * Adds @keyward/secrets, a secrets:generate script and the default environment ("keyward":
 * { "environment": "development" }, which the generated createSecretsClient uses) to the app's
 * package.json, keeping what is there.
 */
export function wireClientStep(ctx: StepContext): StepEdit[] {
  const current = ctx.read("package.json");
  if (current === undefined) throw new WorkflowError("bad_dir", `${ctx.dir} has no package.json; point --dir at the app's package`);
  let pkg: { dependencies?: Record<string, string>; scripts?: Record<string, string> } & Record<string, unknown>;
  try {
    pkg = JSON.parse(current);
  } catch (error) {
    throw new WorkflowError("bad_dir", `package.json in ${ctx.dir} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  let changed = false;
  if (!pkg.dependencies?.["@keyward/secrets"]) {
    pkg.dependencies = { ...pkg.dependencies, "@keyward/secrets": ctx.keywardSpec("secrets") };
    changed = true;
  }
  if (!pkg.scripts?.["secrets:generate"]) {
    pkg.scripts = { ...pkg.scripts, "secrets:generate": "keyward-secrets generate" };
    changed = true;
  }
  const keyward = pkg.keyward;
  if (keyward !== undefined && (keyward === null || typeof keyward !== "object" || Array.isArray(keyward))) {
    throw new WorkflowError("bad_dir", `package.json in ${ctx.dir} has a "keyward" that is not an object; make it { "environment": "development" } or remove it`);
  }
  if ((keyward as { environment?: unknown } | undefined)?.environment === undefined) {
    pkg.keyward = { ...(keyward as object | undefined), environment: DEFAULT_ENVIRONMENT };
    changed = true;
  }
  return [{ relPath: "package.json", content: changed ? JSON.stringify(pkg, null, 2) + "\n" : current }];
}
