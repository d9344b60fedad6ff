import { WorkflowError } from "../errors.js";
import type { StepContext, StepEdit } from "./types.js";

/** Adds @keyward/secrets and a secrets:generate script to the app's package.json, keeping what is there. */
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
  return [{ relPath: "package.json", content: changed ? JSON.stringify(pkg, null, 2) + "\n" : current }];
}
