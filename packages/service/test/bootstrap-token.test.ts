import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { connectDatabase, countAdminKeys } from "@keyward/db";
import { afterAll, describe, expect, it } from "vitest";
import { startSecretsService } from "../src/index.js";
import { runAdminKeysCommand } from "../src/commands/admin-keys.js";
import { runAuditCommand } from "../src/commands/audit.js";
import { baseEnv, CLI, freshPostgresUrl, runInProcess, startCli, tmpDir, type RunningCli } from "./helpers.js";

const running: RunningCli[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

const me = async (admin: string, token: string) => {
  const res = await fetch(`${admin}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { name?: string; role?: string } };
};

describe("the bootstrap owner token stays out of logs", () => {
  const dataDir = tmpDir("kw-bootstrap-");
  const file = path.join(dataDir, "bootstrap-admin-token");

  it("a first start whose output is not a terminal writes the token to a 0600 file and prints only its path", async () => {
    const svc = await startCli(["--data-dir", dataDir]);
    running.push(svc);
    expect(svc.output()).toContain(`Bootstrap admin token file: ${file}`);
    expect(svc.output()).not.toMatch(/kwa_/);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
    const token = fs.readFileSync(file, "utf8").trim();
    expect(svc.bootstrapToken).toBe(token);
    expect(await me(svc.admin, token)).toMatchObject({ status: 200, body: { name: "bootstrap", role: "owner" } });
    expect(await svc.stop()).toBe(0);
  });

  it("later starts warn while the file is there, and stop warning once it is deleted", async () => {
    const again = await startCli(["--data-dir", dataDir]);
    running.push(again);
    expect(again.output()).toContain("the bootstrap admin token file is still in the data directory");
    expect(again.output()).not.toContain("Bootstrap admin token file:");
    expect(await again.stop()).toBe(0);
    fs.rmSync(file);
    const clean = await startCli(["--data-dir", dataDir]);
    running.push(clean);
    expect(clean.output()).not.toContain("bootstrap admin token");
    expect(await clean.stop()).toBe(0);
  });

  it("a token file whose token is no admin key (a start stopped before its commit) is removed, not warned about", async () => {
    const never = `kwa_${randomBytes(32).toString("base64url")}`;
    fs.writeFileSync(file, never + "\n", { mode: 0o600 });
    const svc = await startCli(["--data-dir", dataDir]);
    running.push(svc);
    expect(svc.output()).toContain("removed the bootstrap admin token file: its token is not an active admin key");
    expect(svc.output()).not.toContain("still in the data directory");
    expect(svc.output()).not.toContain(never);
    expect(fs.existsSync(file)).toBe(false);
    expect(await svc.stop()).toBe(0);
  });

  it("admin-keys create makes a new owner key offline (audited) when the bootstrap token is lost", async () => {
    const env = baseEnv();
    const created = await runInProcess(runAdminKeysCommand, ["create", "--name", "recovery owner", "--data-dir", dataDir], env);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const token = /^ {2}(kwa_\S+)$/m.exec(created.stdout)?.[1];
    expect(token).toMatch(/^kwa_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toMatch(/created admin key \S+ "recovery owner" \(role owner\)/);

    const json = await runInProcess(runAdminKeysCommand, ["create", "--name", "ci viewer", "--role", "viewer", "--json", "--data-dir", dataDir], env);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { key: { name: string; role: string; createdBy: string }; token: string };
    expect(parsed.key).toMatchObject({ name: "ci viewer", role: "viewer", createdBy: expect.stringMatching(/^cli:/) });

    // Both rows are on the chain, which still verifies.
    const audit = await runInProcess(runAuditCommand, ["export", "--data-dir", dataDir], env);
    const rows = audit.stdout.trim().split("\n").map((l) => JSON.parse(l) as { action: string; actor_type: string; reason: string | null });
    expect(rows.filter((r) => r.action === "admin_key.create").map((r) => [r.actor_type, r.reason])).toEqual([
      ["cli", "role owner"],
      ["cli", "role viewer"],
    ]);
    expect(audit.stdout).not.toContain(token!);
    expect((await runInProcess(runAuditCommand, ["verify", "--data-dir", dataDir], env)).code).toBe(0);

    const svc = await startCli(["--data-dir", dataDir]);
    running.push(svc);
    expect(await me(svc.admin, token!)).toMatchObject({ status: 200, body: { name: "recovery owner", role: "owner" } });
    expect(await me(svc.admin, parsed.token)).toMatchObject({ status: 200, body: { role: "viewer" } });
    expect(await svc.stop()).toBe(0);
  });

  it("admin-keys create refuses bad input before opening anything, naming the flag", async () => {
    const env = baseEnv();
    const cases: [string[], RegExp][] = [
      [["create"], /missing --name/],
      [["create", "--name", ""], /--name: .*(fewer than 1|at least 1|minLength|must NOT have fewer)/],
      [["create", "--name", "x".repeat(101)], /--name: .*100/],
      [["create", "--name", "bad\nname"], /--name: .*pattern/],
      [["create", "--name", "ok", "--role", "god"], /--role: .*owner, admin, operator, viewer, auditor/],
      [["list"], /unknown admin-keys subcommand "list"/],
      [[], /missing subcommand/],
    ];
    for (const [argv, message] of cases) {
      const r = await runInProcess(runAdminKeysCommand, [...argv, "--data-dir", path.join(dataDir, "nowhere")], env);
      expect([r.code, r.stderr], argv.join(" ")).toEqual([2, expect.stringMatching(message)]);
    }
    const missing = await runInProcess(runAdminKeysCommand, ["create", "--name", "x", "--data-dir", tmpDir("kw-bootstrap-none-")], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/audit\.key|no Keyward database/);
  });

  it("on a terminal the first start shows the token once and writes no file", async () => {
    const dir = tmpDir("kw-bootstrap-tty-");
    // script(1) runs the service on a pseudo-terminal, as a person starting it by hand does.
    const command = `${process.execPath} ${CLI} start --grpc-port 0 --http-port 0 --data-dir ${dir}`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env: baseEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c.toString()));
    const deadline = Date.now() + 120_000;
    while (!/Admin API:/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    try {
      expect(out).toMatch(/Bootstrap admin token: kwa_[A-Za-z0-9_-]{43}/);
      expect(fs.existsSync(path.join(dir, "bootstrap-admin-token"))).toBe(false);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });

  it("a token file that cannot be written fails the first start naming the ways out, and stores no owner key", async () => {
    const dir = tmpDir("kw-bootstrap-rofile-");
    // Something at the token's path the service cannot replace (as a read-only data directory would be).
    fs.mkdirSync(path.join(dir, "bootstrap-admin-token", "in-the-way"), { recursive: true });
    const options = { env: {}, dataDir: dir, grpcPort: 0, httpPort: 0, logLevel: "silent" as const, bootstrapToken: "file" as const };
    const failed = await startSecretsService(options).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failed?.message).toMatch(/^cannot write the bootstrap admin token to .*bootstrap-admin-token \(\S+\); nothing was stored\. .*keyward-service admin-keys create --name NAME$/);
    expect(failed?.message).not.toMatch(/kwa_/);
    fs.rmSync(path.join(dir, "bootstrap-admin-token"), { recursive: true });
    const ok = await startSecretsService(options);
    try {
      expect(ok.bootstrapTokenFile).toBe(path.join(dir, "bootstrap-admin-token"));
    } finally {
      await ok.close();
    }
  });

  it("a start that fails after its database work (a port in use) stores no owner key, so the next start shows one", async () => {
    const dir = tmpDir("kw-bootstrap-busy-");
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      await expect(startSecretsService({ env: {}, dataDir: dir, grpcPort: 0, httpPort: port, logLevel: "silent" })).rejects.toThrow(/in use/);
    } finally {
      await new Promise((r) => busy.close(r));
    }
    const again = await startSecretsService({ env: {}, dataDir: dir, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    try {
      expect(again.bootstrapToken).toMatch(/^kwa_/);
    } finally {
      await again.close();
    }
  });

  it("replicas starting together on one empty PostgreSQL create one owner key, shown by one of them", async () => {
    const databaseUrl = await freshPostgresUrl();
    const keys = { KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") };
    const start = () => startSecretsService({ env: { ...keys, DATABASE_URL: databaseUrl }, dataDir: tmpDir("kw-bootstrap-replica-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    // The first start migrates; the race is the bootstrap of two more on the migrated, keyless database.
    const database = await connectDatabase({ databaseUrl, dataDir: tmpDir() });
    try {
      const first = await start();
      await first.close();
      await database.db.deleteFrom("admin_api_keys").execute();
      const replicas = await Promise.all([start(), start()]);
      try {
        expect(replicas.filter((r) => r.bootstrapToken !== undefined)).toHaveLength(1);
        expect(await countAdminKeys(database.db)).toBe(1);
      } finally {
        for (const r of replicas) await r.close();
      }
    } finally {
      await database.close();
    }
  });
});
