import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { CliError, EXIT } from "../exit-codes.js";

/** The signals run passes on to its command. */
export const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface ChildHandle {
  process: ChildProcess;
  /** Resolves with the exit code run reports: the child's code, or 128 + the signal's number. */
  exited: Promise<number>;
  /** Set before run stops it to restart it, so its exit is not run's. */
  replaced: boolean;
}

/** How long a child may take to stop on SIGTERM before a restart kills it. */
const STOP_GRACE_MS = 10_000;

/** Starts the command with stdio inherited and `env` as its whole environment; a spawn failure (not found, not executable) rejects `exited` with a CliError. */
export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv): ChildHandle {
  const child = spawn(command, args, { stdio: "inherit", env });
  const exited = new Promise<number>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(new CliError(`cannot run "${command}": ${error.code === "ENOENT" ? "not found (check the command and PATH)" : error.code === "EACCES" ? "not executable" : (error.code ?? error.message)}`, EXIT.failed));
    });
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
  });
  // The caller awaits exited; a spawn failure must not also surface as unhandled.
  exited.catch(() => undefined);
  return { process: child, exited, replaced: false };
}

/** Stops a child for a restart: SIGTERM, then SIGKILL after the grace period; resolves once it has exited. */
export async function stopChild(handle: ChildHandle): Promise<void> {
  handle.replaced = true;
  if (handle.process.exitCode !== null || handle.process.signalCode !== null) return;
  handle.process.kill("SIGTERM");
  const timer = setTimeout(() => handle.process.kill("SIGKILL"), STOP_GRACE_MS);
  await handle.exited.catch(() => undefined);
  clearTimeout(timer);
}

/**
 * Forwards SIGINT/SIGTERM/SIGHUP to whichever child `current()` returns until the returned function
 * removes the handlers. On a terminal, Ctrl-C's SIGINT already reaches the child (it shares run's
 * foreground process group), so forwarding it too would make it a second Ctrl-C, which many apps
 * read as "quit now, skip the graceful shutdown". `terminal` says whether stdin is that terminal.
 */
export function forwardSignals(
  current: () => ChildHandle,
  onSignal: (signal: (typeof FORWARDED_SIGNALS)[number]) => void,
  terminal: boolean = process.stdin.isTTY === true,
): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      onSignal(signal);
      if (signal === "SIGINT" && terminal) return;
      current().process.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
