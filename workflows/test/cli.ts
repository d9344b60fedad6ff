import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BIN = path.resolve(import.meta.dirname, "../bin/keyward-workflow.mjs");

/** Runs the real keyward-workflow CLI (built dist) in `cwd`. */
export function workflow(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const tmp = (prefix = "kw-wf-") => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Every file under dir (relative), sorted: what a run wrote. */
export function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

export const read = (...p: string[]) => fs.readFileSync(path.join(...p), "utf8");
