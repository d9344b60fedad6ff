// A real pseudo-terminal for tests of interactive commands: keystrokes in, screen out. It runs the
// built CLI (bin/keyward.mjs → dist/cli.js; built here first when dist is missing or stale).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pty from "node-pty";
import { CLI_BIN } from "./harness.js";

/** Keys as a terminal sends them. */
export const KEY = { up: "\u001b[A", down: "\u001b[B", enter: "\r", ctrlC: "\u0003", escape: "\u001b" } as const;

export interface PtySession {
  /** Types `keys` (see KEY for arrows, Enter, Ctrl-C). */
  write(keys: string): void;
  /** Everything shown so far, with ANSI escapes and carriage returns removed. */
  screen(): string;
  /**
   * Resolves with the first match of `pattern` in what was shown after the previous waitFor's match
   * (so a redrawn screen is not matched twice); rejects after `timeoutMs` showing the screen's end.
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The exit code (128 + signal when a signal ended it). */
  exit: Promise<number>;
  kill(): void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][A-Z0-9]|\u001b[=>78]|\r/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, "");

let built = false;
function ensureBuilt(): void {
  if (built) return;
  const pkgDir = path.resolve(import.meta.dirname, "..");
  const dist = path.join(pkgDir, "dist", "cli.js");
  const newest = (dir: string): number =>
    Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
  // Built when missing or older than a source file, so a test never drives yesterday's CLI.
  if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < newest(path.join(pkgDir, "src"))) execFileSync("pnpm", ["run", "build"], { cwd: pkgDir, stdio: "ignore" });
  built = true;
}

/** Runs `keyward …argv` in a pseudo-terminal (100×40) with exactly `env`. */
export function spawnInPty(argv: string[], env: NodeJS.ProcessEnv, options: { cwd?: string; cols?: number; rows?: number } = {}): PtySession {
  ensureBuilt();
  const child = pty.spawn(process.execPath, [CLI_BIN, ...argv], {
    name: "xterm-256color",
    cols: options.cols ?? 100,
    rows: options.rows ?? 40,
    cwd: options.cwd ?? process.cwd(),
    env: { TERM: "xterm-256color", ...env } as Record<string, string>,
  });
  let raw = "";
  let from = 0;
  const waiters = new Set<() => void>();
  child.onData((data) => {
    raw += data;
    for (const check of waiters) check();
  });
  const exit = new Promise<number>((resolve) => child.onExit(({ exitCode, signal }) => resolve(signal ? 128 + signal : exitCode)));
  let exited = false;
  void exit.then(() => {
    exited = true;
    for (const check of waiters) check();
  });
  return {
    write: (keys) => child.write(keys),
    screen: () => stripAnsi(raw),
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stripAnsi(raw);
          const match = pattern.exec(text.slice(from));
          if (match) {
            from += (match.index ?? 0) + match[0].length;
            finish();
            resolve(match);
          } else if (exited) {
            finish();
            reject(new Error(`the program exited before showing ${pattern}; its screen ended with:\n${text.slice(-1500)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${pattern}; the screen ended with:\n${stripAnsi(raw).slice(-1500)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    exit,
    kill: () => {
      if (!exited) child.kill();
    },
  };
}
