import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll } from "vitest";
import type { CommandIo } from "@keyward/common";
import { startSecretsService, type RunningService } from "@keyward/service";
import { main } from "../src/index.js";

export const CLI_BIN = path.resolve(import.meta.dirname, "../bin/keyward.mjs");
export const tmpDir = (prefix = "kw-cli-") => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A real Keyward service (embedded PGlite, gRPC and HTTP on loopback) started once per test file. */
export interface ServiceUnderTest {
  adminUrl: string;
  grpcAddress: string;
  /** The bootstrap owner's admin token. */
  token: string;
  dataDir: string;
  service: RunningService;
}

/** The service on loopback for a file's tests; `env` (asked in beforeAll) adds settings, e.g. where connection tests go. */
export function useService(env: () => Record<string, string> = () => ({})): ServiceUnderTest {
  const sut = {} as ServiceUnderTest;
  beforeAll(async () => {
    sut.dataDir = tmpDir("kw-cli-data-");
    sut.service = await startSecretsService({ env: env(), dataDir: sut.dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    sut.adminUrl = sut.service.adminUrl;
    sut.grpcAddress = sut.service.grpcAddress;
    sut.token = sut.service.bootstrapToken!;
  });
  afterAll(async () => {
    await sut.service?.close();
  });
  return sut;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A minimal environment with its own config dir, so the developer's KEYWARD_* variables and profiles never leak in. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: tmpDir("kw-cli-home-"), KEYWARD_CONFIG_DIR: tmpDir("kw-cli-config-"), ...extra };
}

/** Runs `keyward …` in-process with captured output; `stdin` (a string) is what it reads as piped input. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c.toString()));
  stderr.on("data", (c) => (err += c.toString()));
  const io: CommandIo = { stdout, stderr, env, ...(stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(stdin)]) }) };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}
