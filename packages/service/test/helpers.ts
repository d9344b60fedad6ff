import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, expect } from "vitest";
import { createPostgresTestDatabases } from "@keyward/db/testing";
import type { CommandRunner } from "@keyward/common";

export const CLI = path.resolve(import.meta.dirname, "../bin/keyward-service.mjs");
export const tmpDir = (prefix = "kw-svc-") => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
/** A minimal environment, so the developer's own KEYWARD_* variables never leak into a test. */
export const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });

export interface RunningCli {
  child: ChildProcess;
  output: () => string;
  grpc: string;
  admin: string;
  bootstrapToken: string | undefined;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The first start's owner token: a start whose output is not a terminal (these tests' pipes) writes
 * it to a file in the data directory and prints only the file's path.
 */
function bootstrapTokenFrom(out: string): string | undefined {
  const file = /Bootstrap admin token file: (\S+)/.exec(out)?.[1];
  return file === undefined ? /Bootstrap admin token: (kwa_\S+)/.exec(out)?.[1] : fs.readFileSync(file, "utf8").trim();
}

/** Starts the real `keyward-service start` process and waits until it prints its addresses. */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, "start", "--grpc-port", "0", "--http-port", "0", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c) => (out += c.toString()));
  child.stderr!.on("data", (c) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/Admin API:\s+(\S+)\/api/.test(out)) {
    if (child.exitCode !== null) throw new Error(`service exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`service did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    output: () => out,
    grpc: /gRPC \(services\):\s+(\S+)/.exec(out)![1]!,
    admin: /Admin API:\s+(\S+)\/api/.exec(out)![1]!,
    bootstrapToken: bootstrapTokenFrom(out),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The admin HTTP API as the bootstrap admin; every call must succeed. */
export function adminApi(adminUrl: string, token: string) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await fetch(adminUrl + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    expect(res.status, `${method} ${p}: ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  };
}

/** A loopback port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const postgres = createPostgresTestDatabases({ prefix: "keyward_svc" });
afterAll(() => postgres.dropAll());

/** A throwaway database on the real PostgreSQL (not migrated: the service does that), dropped after the file's tests. */
export const freshPostgresUrl = (): Promise<string> => postgres.freshUrl({ migrate: false });

/** Runs a subcommand in this process, capturing what it writes. */
export async function runInProcess(runner: CommandRunner, argv: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _e, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runner(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env, ...(stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(stdin)]) }) });
  return { code, stdout, stderr };
}

