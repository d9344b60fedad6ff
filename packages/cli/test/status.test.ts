import { unwrap } from "@keyward/admin-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { EXIT, main } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { adminOf, expectNoLeak, loggedIn, registerService, tokenOf, type TestService } from "./support.js";

const sut = useService();
const services: TestService[] = [];

beforeAll(async () => {
  const admin = adminOf(sut);
  // Due within the reminder window: a 5-day rotation set now.
  await unwrap(admin.POST("/api/secrets", { body: { name: "SESSION_KEY", description: "Session signing key", rotationDays: 5, value: "not-shown-session-value" } }));
  const worker = await registerService(sut, "worker", { version: "3.1.0", secrets: { QUEUE_URL: "Queue connection string" } });
  await unwrap(admin.POST("/api/service-tokens/{id}/approve", { params: { path: { id: (await tokenOf(sut, "worker")).id } } }));
  await worker.ask(["QUEUE_URL"]); // a stub and an access request
  services.push(worker, await registerService(sut, "mailer", { version: "0.9.0" }));
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

describe("keyward status", () => {
  it("lists what waits in the environment and exits 5", async () => {
    const env = loggedIn(sut);
    const result = await runCli(["status"], env);
    expect(result.code).toBe(EXIT.notReady);
    expect(result.stdout).toMatch(/^ENVIRONMENT\s+WHAT\s+NAME\s+STATE\s+DETAIL$/m);
    expect(result.stdout).toMatch(/^development\s+token\s+mailer 0\.9\.0\s+pending\s+id \S+, from 127\.0\.0\.1$/m);
    expect(result.stdout).toMatch(/^development\s+access\s+worker → QUEUE_URL\s+pending\s+id \S+$/m);
    expect(result.stdout).toMatch(/^development\s+stub\s+QUEUE_URL\s+stub\s+no value yet: keyward secrets set QUEUE_URL --environment development$/m);
    expect(result.stdout).toMatch(/^development\s+rotation\s+SESSION_KEY\s+due_soon\s+due \S+ \(in [45] days\)$/m);
    expect(result.stdout).toMatch(/waiting: 1 token\(s\) to approve, 1 access request\(s\), 1 stub\(s\) without a value, 1 rotation\(s\) due soon; review with keyward approvals\n$/);
    expectNoLeak(result, "not-shown-session-value", sut.token);
  });

  it("answers --json with the waiting count per environment, and counts held change requests", async () => {
    const admin = adminOf(sut);
    await unwrap(admin.POST("/api/secrets", { params: { query: { environment: "staging" } }, body: { name: "STAGING_KEY", description: "staging", value: "first-staging-value" } }));
    await unwrap(admin.PATCH("/api/environments/{name}", { params: { path: { name: "staging" } }, body: { protected: true } }));
    await unwrap(admin.POST("/api/secrets/{name}/disable", { params: { path: { name: "STAGING_KEY" }, query: { environment: "staging" } } }));
    const result = await runCli(["status", "--all-environments", "--json"], loggedIn(sut));
    expect(result.code).toBe(EXIT.notReady);
    const body = JSON.parse(result.stdout);
    expect(body.waiting).toBe(5);
    expect(body.environments.map((e: { environment: string }) => e.environment)).toEqual(["development", "staging", "production"]);
    const staging = body.environments[1];
    expect(staging.changeRequests).toEqual([expect.objectContaining({ kind: "secret.disable", target: "secret:STAGING_KEY", status: "pending" })]);
    expect(body.environments[2]).toEqual({ environment: "production", pendingTokens: [], accessRequests: [], stubs: [], rotationDueSoon: [], rotationOverdue: [], changeRequests: [] });
    const scoped = await unwrap(admin.POST("/api/admin-keys", { body: { name: "staging-only", role: "viewer", environments: ["staging"] } }));
    const onlyStaging = JSON.parse((await runCli(["status", "--all-environments", "--json"], loggedIn(sut, {}, scoped.token))).stdout);
    expect(onlyStaging).toMatchObject({ waiting: 1, environments: [{ environment: "staging" }] });
    expect(onlyStaging.environments).toHaveLength(1);
    const table = await runCli(["status", "--environment", "staging"], loggedIn(sut));
    expect(table.stdout).toMatch(/^staging\s+change\s+secret\.disable secret:STAGING_KEY\s+held\s+id \S+, 0\/1 approvals, by /m);
    // The last line names where to act: change requests alone, or with what keyward approvals reviews.
    expect(table.stdout).toMatch(/\n\nwaiting: 1 change request\(s\) held; review with keyward change-requests list\n$/);
    const everywhere = await runCli(["status", "--all-environments"], loggedIn(sut));
    expect(everywhere.stdout).toMatch(/\n\nwaiting: 1 token\(s\) to approve, .*, 1 change request\(s\) held; review with keyward approvals, and the change requests with keyward change-requests list\n$/);
  });

  it("exits 0 with nothing waiting, and refuses conflicting flags, an unknown environment and an unreachable service", async () => {
    const quiet = await runCli(["status", "--environment", "production"], loggedIn(sut));
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("nothing waits in production\n");
    const both = await runCli(["status", "--environment", "staging", "--all-environments"], loggedIn(sut));
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toMatch(/give --environment or --all-environments, not both/);
    const unknown = await runCli(["status", "--environment", "qa"], loggedIn(sut));
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/unknown environment "qa"; the service has development, staging, production/);
    const down = await runCli(["status"], loggedIn(sut, { KEYWARD_URL: "http://127.0.0.1:1" }));
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.stderr).toMatch(/cannot reach the Keyward service at http:\/\/127\.0\.0\.1:1/);
    const revokedKey = await unwrap(adminOf(sut).POST("/api/admin-keys", { body: { name: "short-lived", role: "viewer" } }));
    await unwrap(adminOf(sut).POST("/api/admin-keys/{id}/revoke", { params: { path: { id: revokedKey.key.id } } }));
    const revoked = await runCli(["status"], loggedIn(sut, {}, revokedKey.token));
    expect(revoked.code).toBe(EXIT.auth);
    expect(revoked.stderr).toMatch(/the admin token was refused .*; run keyward login again/);
    expectNoLeak(revoked, revokedKey.token);
  });

  it("colours the status badges on a terminal only, and never with NO_COLOR", async () => {
    const onTerminal = async (env: NodeJS.ProcessEnv) => {
      const stdout = Object.assign(new PassThrough(), { isTTY: true });
      let text = "";
      stdout.on("data", (c) => (text += c.toString()));
      const code = await main(["status"], { stdout, stderr: new PassThrough(), env });
      return { code, text };
    };
    const coloured = await onTerminal(loggedIn(sut));
    expect(coloured.code).toBe(EXIT.notReady);
    expect(coloured.text).toContain("\u001b[33mpending\u001b[0m");
    expect(coloured.text).toContain("\u001b[33mdue_soon\u001b[0m");
    const plain = await onTerminal(loggedIn(sut, { NO_COLOR: "1" }));
    expect(plain.text).not.toContain("\u001b[");
    expect((await runCli(["status"], loggedIn(sut))).stdout).not.toContain("\u001b[");
  });
});
