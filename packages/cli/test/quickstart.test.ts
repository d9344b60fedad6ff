import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tmpDir } from "./harness.js";

// Runs the README's "Your first secret in six commands" exactly as printed (commands taken from the
// README itself), in the checkout, with its own data dir, ports, profile dir and app token file.
const REPO = path.resolve(import.meta.dirname, "../../..");

/** The commands of the README's quick-start block, comments dropped. */
export function quickstartCommands(readme: string): string[] {
  const block = /<!-- quickstart:start -->\s*```sh\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
  if (!block) throw new Error("README.md has no <!-- quickstart:start --> ```sh block");
  return block[1]!
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let service: ReturnType<typeof spawn> | undefined;
/** Stops npm start and everything it started (its own process group). */
function stopService(): void {
  if (service?.pid !== undefined && service.exitCode === null) {
    try {
      process.kill(-service.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
afterAll(stopService);

describe("README quick start", () => {
  it("reaches an example app printing its typed secret in at most six commands after git clone", { timeout: 600_000 }, async () => {
    const commands = quickstartCommands(fs.readFileSync(path.join(REPO, "README.md"), "utf8"));
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.length).toBeLessThanOrEqual(6);
    expect(commands.join("\n")).not.toMatch(/curl/);

    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const work = tmpDir("kw-quickstart-");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      HOME: work,
      KEYWARD_DATA_DIR: path.join(work, "data"),
      KEYWARD_HTTP_PORT: String(httpPort),
      KEYWARD_GRPC_PORT: String(grpcPort),
      KEYWARD_CONFIG_DIR: path.join(work, "config"),
      // The example app's gRPC address and token file (the README's defaults are 127.0.0.1:50051 and the example's own).
      KEYWARD_URL: `127.0.0.1:${grpcPort}`,
      KEYWARD_TOKEN_FILE: path.join(work, "app-token"),
      TURBO_TELEMETRY_DISABLED: "1",
      NO_COLOR: "1",
    };
    const local = (command: string) => command.replaceAll("http://127.0.0.1:8080", `http://127.0.0.1:${httpPort}`);

    // 1. npm start: runs in the background (the README's terminal 1) until it prints its addresses and token.
    expect(commands[0]).toBe("npm start");
    service = spawn("sh", ["-c", commands[0]!], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    service.stdout!.on("data", (c) => (out += c.toString()));
    service.stderr!.on("data", (c) => (out += c.toString()));
    const deadline = Date.now() + 300_000;
    // Its output is a pipe, not a terminal, so the token is in a file named in the output.
    while (!/Bootstrap admin token file: (\S+)/.test(out) || !/Admin API:/.test(out)) {
      if (service.exitCode !== null) throw new Error(`npm start exited: ${out}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up: ${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const bootstrap = fs.readFileSync(/Bootstrap admin token file: (\S+)/.exec(out)![1]!, "utf8").trim();

    // 2–6 in order; the hidden prompts read the bootstrap token (login) and the value (secrets set) from stdin.
    const value = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc";
    const outputs: string[] = [];
    for (const command of commands.slice(1)) {
      const stdin = /keyward login/.test(command) ? bootstrap + "\n" : /keyward secrets set/.test(command) ? value + "\n" : "";
      const r = spawnSync("sh", ["-c", local(command)], { cwd: REPO, env, input: stdin, encoding: "utf8", timeout: 180_000 });
      outputs.push(`$ ${command}\n${r.stdout}${r.stderr}`);
      // The first run of the example exits 3 ("not yet"); every other command succeeds.
      if (!/npm run example/.test(command) || outputs.length === commands.length - 1) expect(r.status, outputs.join("\n")).toBe(0);
    }
    const transcript = outputs.join("\n");
    expect(transcript).toMatch(/not yet: token_pending/);
    expect(outputs.at(-1)).toMatch(/got STRIPE_API_KEY \(32 characters\)/);
    expect(transcript + out).not.toContain(value);
    expect(transcript).not.toContain(bootstrap);
    stopService();
  });
});
