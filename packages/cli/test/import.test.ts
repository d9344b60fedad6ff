import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { cliEnv, runCli, tmpDir, useService } from "./harness.js";

const sut = useService();
const value = (tag: string) => `${tag}_${randomBytes(10).toString("hex")}`;

async function admin(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(sut.adminUrl + p, { method, headers: { authorization: `Bearer ${sut.token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const secret = async (name: string, environment = "development") => (await admin("GET", `/api/secrets/${name}?environment=${environment}`)).json;
const envFor = (url = sut.adminUrl) => cliEnv({ KEYWARD_URL: url, KEYWARD_ADMIN_TOKEN: sut.token });

function file(name: string, text: string): string {
  const p = path.join(tmpDir("kw-import-"), name);
  fs.writeFileSync(p, text);
  return p;
}

describe("keyward import", () => {
  it("plans first (--dry-run writes nothing, shows no value), writes, skips existing values, and --overwrite replaces them", async () => {
    const values = { IMP_API_KEY: value("sk"), IMP_DB_URL: value("pg") };
    const f = file(".env", `# app\nexport IMP_API_KEY=${values.IMP_API_KEY}\nIMP_DB_URL="${values.IMP_DB_URL}"\nIMP_EMPTY=\n`);
    const env = envFor();
    const dry = await runCli(["import", f, "--environment", "development", "--dry-run"], env);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/IMP_API_KEY\s+create/);
    expect(dry.stdout).toMatch(/IMP_DB_URL\s+create/);
    expect(dry.stdout).toMatch(/IMP_EMPTY\s+skip-empty/);
    expect(dry.stdout).toContain("dry run (dotenv, development): 2 create, 1 skip-empty; nothing written");
    expect((await admin("GET", "/api/secrets/IMP_API_KEY")).status).toBe(404);

    const run = await runCli(["import", f, "--environment", "development"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/IMP_API_KEY\s+create\s+written \(version 1\)/);
    expect(run.stdout).toContain("imported into development: 2 written, 0 held for approval, 0 failed, 1 skipped");
    expect(await secret("IMP_API_KEY")).toMatchObject({ status: "active", currentVersion: 1, description: "imported from .env" });

    const again = await runCli(["import", f, "--environment", "development"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/IMP_API_KEY\s+skip-existing\s+-/);
    expect((await secret("IMP_API_KEY")).currentVersion).toBe(1);

    const over = await runCli(["import", f, "--environment", "development", "--overwrite", "--json"], env);
    expect(over.code).toBe(0);
    const json = JSON.parse(over.stdout);
    expect(json.plan).toEqual([
      { name: "IMP_API_KEY", action: "overwrite", expectedVersion: 1 },
      { name: "IMP_DB_URL", action: "overwrite", expectedVersion: 1 },
      { name: "IMP_EMPTY", action: "skip-empty" },
    ]);
    expect(json.outcomes).toEqual([
      { name: "IMP_API_KEY", result: "written", version: 2 },
      { name: "IMP_DB_URL", result: "written", version: 2 },
    ]);
    for (const r of [dry, run, again, over]) for (const v of Object.values(values)) expect(r.stdout + r.stderr).not.toContain(v);
  });

  it("a bad line or name is named with file:line and nothing is written", async () => {
    const leaked = value("sk");
    const f = file("bad.env", `IMP_BAD_ONE=${leaked}\nlower_case=${leaked}\n`);
    const r = await runCli(["import", f], envFor());
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(/bad\.env:2: "lower_case" is not a valid secret name/);
    expect(r.stdout + r.stderr).not.toContain(leaked);
    expect((await admin("GET", "/api/secrets/IMP_BAD_ONE")).status).toBe(404);
    const unknown = await runCli(["import", f, "--format", "yaml"], envFor());
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain("--format must be one of dotenv, json, doppler, infisical, vault");
    const missing = await runCli(["import", path.join(tmpDir(), "nope.env")], envFor());
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.stderr).toMatch(/cannot read .*nope\.env: no such file/);
    // A Latin-1 file would be imported with U+FFFD in place of its bytes: refused, nothing written.
    const latin1 = path.join(tmpDir(), "latin1.env");
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from("IMP_LATIN=p"), Buffer.from([0xe4]), Buffer.from("ss\n")]));
    const notUtf8 = await runCli(["import", latin1, "--dry-run"], envFor());
    expect(notUtf8.code).toBe(EXIT.usage);
    expect(notUtf8.stderr).toContain("latin1.env is not valid UTF-8 text");
    expect((await admin("GET", "/api/secrets/IMP_LATIN")).status).toBe(404);
  });

  it("a partial failure names what was and was not written; re-running completes it", async () => {
    const values = { IMP_P_ONE: value("a"), IMP_P_TWO: value("b"), IMP_P_THREE: value("c") };
    const f = file("vault.json", JSON.stringify({ request_id: "x", data: { data: values, metadata: { version: 1 } } }));
    // A real proxy in front of the service that refuses the value write of IMP_P_TWO once.
    const proxy = http.createServer((req, res) => {
      if (req.method === "PUT" && req.url?.startsWith("/api/secrets/IMP_P_TWO/value")) {
        res.writeHead(503, { "content-type": "application/problem+json" }).end(JSON.stringify({ type: "about:blank", title: "Unavailable", status: 503, detail: "storage busy" }));
        return;
      }
      const upstream = http.request(sut.adminUrl + req.url, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const first = await runCli(["import", f], envFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`));
      expect(first.code).toBe(EXIT.failed);
      expect(first.stdout).toMatch(/IMP_P_TWO\s+create\s+failed: HTTP 503: storage busy/);
      expect(first.stderr).toContain("error: 1 of 3 writes failed. Written: IMP_P_ONE, IMP_P_THREE. Not written: IMP_P_TWO. Run the same command again to complete the import.");
      for (const v of Object.values(values)) expect(first.stdout + first.stderr).not.toContain(v);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
    // The secret was created without its value: the re-run sets it and leaves the others.
    const second = await runCli(["import", f], envFor());
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/IMP_P_TWO\s+set\s+written \(version 1\)/);
    expect(second.stdout).toMatch(/IMP_P_ONE\s+skip-existing/);
    expect((await secret("IMP_P_TWO")).currentVersion).toBe(1);
  });

  it("in a protected environment each write is held for approval and reported per name; a re-run does not ask twice", async () => {
    const values = { IMP_PROD_KEY: value("p") };
    const f = file("infisical.json", JSON.stringify([{ key: "IMP_PROD_KEY", value: values.IMP_PROD_KEY, type: "shared" }]));
    const first = await runCli(["import", f, "--environment", "production"], envFor());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/IMP_PROD_KEY\s+create\s+held for approval \(change request \S+\)/);
    expect(first.stdout).toContain("1 held for approval");
    expect(await secret("IMP_PROD_KEY", "production")).toMatchObject({ status: "stub", currentVersion: 0 });
    const again = await runCli(["import", f, "--environment", "production", "--dry-run"], envFor());
    expect(again.stdout).toMatch(/IMP_PROD_KEY\s+skip-held/);
    // The held write is production's only: the default environment (development) still plans a create.
    const dev = await runCli(["import", f, "--dry-run"], envFor());
    expect(dev.stdout).toMatch(/IMP_PROD_KEY\s+create/);
    expect(dev.stdout).toContain("dry run (infisical, development)");
    expect(first.stdout + again.stdout).not.toContain(values.IMP_PROD_KEY);
  });
});
