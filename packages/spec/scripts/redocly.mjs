// Runs the @redocly/cli that this package installs, offline: no telemetry, no update check.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
export const root = path.resolve(import.meta.dirname, "..");

export function redocly(args, options = {}) {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
  });
}

// `node scripts/redocly.mjs lint` — used by the package's lint script.
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    redocly(process.argv.slice(2), { stdio: "inherit" });
  } catch (error) {
    process.exit(typeof error.status === "number" ? error.status : 1);
  }
}
