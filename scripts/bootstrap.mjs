#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh machine with only Node (20.19+, 22.12+ or 24) and npm:
// it finds pnpm 10 (or fetches it through npx) and installs the workspace when needed. The workspace
// itself depends on pnpm 10, so the npm scripts' later `pnpm …` calls find it in node_modules/.bin.
import { execSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const PNPM = "pnpm@10.34.9";
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const version = has("pnpm") ? execSync("pnpm --version").toString().trim() : "";
let pnpm = "pnpm";
if (!version.startsWith("10.")) {
  console.log(`bootstrap: pnpm 10 not found; installing ${PNPM} globally`);
  const global = spawnSync("npm", ["install", "-g", PNPM], { stdio: "inherit" });
  if (global.status !== 0) {
    // A global prefix this user cannot write (a system Node): npx keeps pnpm in the user's npm cache.
    console.log(`bootstrap: could not install ${PNPM} globally (see above); running it through npx instead`);
    pnpm = `npx --yes ${PNPM}`;
  }
}
if (!fs.existsSync("node_modules/.modules.yaml") || process.env.CI) {
  execSync(`${pnpm} install --frozen-lockfile`, { stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });
}
