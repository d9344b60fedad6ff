import fs from "node:fs";
import path from "node:path";
import { consoleDir } from "@keyward/console";

/** The admin console built by @keyward/console, when its build is present (served at /admin). */
export function builtConsoleDir(): string | undefined {
  return fs.existsSync(path.join(consoleDir, "index.html")) ? consoleDir : undefined;
}
