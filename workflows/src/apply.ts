import fs from "node:fs";
import path from "node:path";
import { writeGeneratedFiles } from "@keyward/secrets";
import { WorkflowError } from "./errors.js";
import type { Plan } from "./plan.js";

export interface ApplyResult {
  written: string[];
  skipped: string[];
  /** Generated files that changed (relative paths). */
  generated: string[];
}

/**
 * Writes a plan. It refuses, before writing anything, when a file would be overwritten without
 * --force, so a refused run leaves the target untouched.
 */
export async function applyPlan(plan: Plan): Promise<ApplyResult> {
  const conflicts = plan.files.filter((f) => f.action === "conflict");
  if (conflicts.length > 0) {
    throw new WorkflowError("conflict", `refusing to overwrite ${conflicts.length} file(s) in ${plan.dir}:\n${conflicts.map((f) => `  - ${f.relPath}: ${f.reason}`).join("\n")}`);
  }
  const written: string[] = [];
  const skipped: string[] = [];
  for (const file of plan.files) {
    if (file.action === "unchanged" || file.action === "keep") {
      skipped.push(file.relPath);
      continue;
    }
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content);
    written.push(file.relPath);
  }
  const generated = plan.generate ? (await writeGeneratedFiles(plan.dir)).filter((f) => f.changed).map((f) => path.relative(plan.dir, f.path)) : [];
  return { written, skipped, generated };
}
