import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken } from "@keyward/secrets";
import { EXIT } from "../src/index.js";
import { cliEnv, runCli, tmpDir, useService } from "./harness.js";

const sut = useService();
const GOOD = "sk_live_" + randomBytes(12).toString("hex");
const BAD = "pk_test_" + randomBytes(12).toString("hex");
const DB = "postgres://app:" + randomBytes(8).toString("hex") + "@db/app";

async function admin(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(sut.adminUrl + p, { method, headers: { authorization: `Bearer ${sut.token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const SCHEMA = {
  type: "object",
  properties: {
    PF_API_KEY: { type: "string", description: "the API key", pattern: "^sk_live_[0-9a-f]+$" },
    PF_DB_URL: { type: "string", description: "the database", minLength: 10 },
    PF_OPTIONAL: { type: "string", description: "maybe", "x-keyward": { optional: true } },
  },
};

describe("keyward preflight", () => {
  it("gates on token, value, access and rules per secret; exit 5 names why, exit 0 when ready; no value in any output", async () => {
    const dir = tmpDir("kw-preflight-app-");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pf-app", keyward: { environment: "development" } }));
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(SCHEMA));
    const env = cliEnv({ KEYWARD_URL: sut.adminUrl, KEYWARD_ADMIN_TOKEN: sut.token });
    const outputs: string[] = [];
    const preflight = async (...extra: string[]) => {
      const r = await runCli(["preflight", "--app", dir, ...extra], env);
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    const none = await preflight();
    expect(none.code).toBe(EXIT.notReady);
    expect(none.stdout).toMatch(/PF_API_KEY\s+missing\s+none\s+none\s+none\s+unchecked\s+NOT served: token not registered/);
    expect(none.stdout).toMatch(/PF_OPTIONAL\s+.*absent \(optional\): token not registered/);
    expect(none.stdout).toContain("preflight pf-app in development: NOT ready, 2 required secrets will not be served: PF_API_KEY (token not registered), PF_DB_URL (token not registered)");

    // The app registers its token and asks for its secrets (stubs and access requests appear).
    const client = createSecretsClient(SCHEMA as never, { url: sut.grpcAddress, token: createServiceToken(), serviceName: "pf-app", environment: "development", cache: false, retry: { maxAttempts: 1 } });
    expect(await client.register()).toBe("pending");
    expect((await preflight()).stdout).toMatch(/PF_API_KEY\s+missing\s+none\s+pending/);
    const tokens = await admin("GET", "/api/service-tokens?status=pending");
    for (const t of tokens.json.items) await admin("POST", `/api/service-tokens/${t.id}/approve`);
    await client.getSecrets().catch(() => undefined);
    const waiting = await preflight();
    expect(waiting.code).toBe(EXIT.notReady);
    expect(waiting.stdout).toMatch(/PF_DB_URL\s+stub\s+pending\s+approved\s+none\s+unchecked\s+NOT served: no value/);

    // The server refuses a value that breaks a rule the app declared (issue #17), naming the rule.
    const refused = await admin("PUT", "/api/secrets/PF_API_KEY/value", { value: BAD });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain("rule pattern");
    expect(JSON.stringify(refused.json)).not.toContain(BAD);
    // Values set, access granted; then the app's schema tightens a rule. The server checks a value
    // only against the rules stored for it (those the app declared when it read), never against
    // rules a caller sends (a value oracle), so the tightened rule is reported as differing.
    expect((await admin("PUT", "/api/secrets/PF_API_KEY/value", { value: GOOD })).status).toBe(200);
    expect((await admin("PUT", "/api/secrets/PF_DB_URL/value", { value: DB })).status).toBe(200);
    const requests = await admin("GET", "/api/access-requests?status=pending");
    for (const r of requests.json.items) await admin("POST", `/api/access-requests/${r.id}/approve`);
    const tightened = { ...SCHEMA, properties: { ...SCHEMA.properties, PF_DB_URL: { ...SCHEMA.properties.PF_DB_URL, minLength: 1000 } } };
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(tightened));
    const differing = await preflight();
    expect(differing.code).toBe(0);
    expect(differing.stdout).toMatch(/PF_DB_URL\s+set\s+granted\s+approved\s+ok\s+differs\s+served/);
    expect(differing.stdout).toMatch(/PF_API_KEY\s+set\s+granted\s+approved\s+ok\s+ok\s+served/);
    expect(differing.stdout).toContain("note: the rules this schema declares for PF_DB_URL differ from the ones stored for it");

    // The schema as deployed: ready, although the optional secret has none.
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(SCHEMA));
    const ready = await preflight();
    expect(ready.stderr).toBe("");
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/PF_OPTIONAL\s+stub\s+.*absent \(optional\): no value/);
    expect(ready.stdout).toContain("preflight pf-app in development: ready, 2 of 3 secrets will be served");
    const json = await preflight("--json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ service: "pf-app", environment: "development", ready: true });
    expect(report.results.map((r: { name: string; served: boolean; verdict: string }) => [r.name, r.served, r.verdict])).toEqual([
      ["PF_API_KEY", true, "served"],
      ["PF_DB_URL", true, "served"],
      ["PF_OPTIONAL", false, "absent (optional): no value"],
    ]);

    // Another environment: nothing there for this app.
    const staging = await preflight("--environment", "staging");
    expect(staging.code).toBe(EXIT.notReady);
    expect(staging.stdout).toContain("preflight pf-app in staging: NOT ready");

    // The question is audited.
    const audit = await admin("GET", "/api/audit?action=secrets.preflight");
    expect(audit.json.items.length).toBe(outputs.length / 2);
    for (const v of [GOOD, BAD, DB]) expect(outputs.join("\n")).not.toContain(v);
    await client.close();
  });

  it("names a bad schema, a missing login and an unknown environment", async () => {
    const dir = tmpDir("kw-preflight-bad-");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pf-bad" }));
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify({ type: "object", properties: { lower: { type: "string", description: "x" } } }));
    const env = cliEnv({ KEYWARD_URL: sut.adminUrl, KEYWARD_ADMIN_TOKEN: sut.token });
    const bad = await runCli(["preflight", "--app", dir], env);
    expect(bad.code).toBe(EXIT.failed);
    expect(bad.stderr).toContain("secrets.schema.json");
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(SCHEMA));
    expect((await runCli(["preflight", "--app", dir], cliEnv())).code).toBe(EXIT.auth);
    const file = path.join(dir, "secrets.schema.json");
    const one = await runCli(["preflight", "--schema", file, "--service", "pf-schema"], env);
    expect(one.code).toBe(EXIT.notReady);
    expect(one.stdout).toContain("preflight pf-schema in development: NOT ready, 2 required secrets will not be served");
    const both = await runCli(["preflight", "--schema", file, "--app", dir], env);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toContain("give --schema PATH or --app DIR, not both");
    const unknown = await runCli(["preflight", "--app", dir, "--environment", "qa"], env);
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.stderr).toContain("no environment named qa");
  });
});
