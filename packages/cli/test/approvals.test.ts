import { unwrap } from "@keyward/admin-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { adminKey, adminOf, expectNoLeak, loggedIn, registerService, tokenOf, type TestService } from "./support.js";

const sut = useService();
const services: TestService[] = [];
let billing: TestService;
let reports: TestService;

beforeAll(async () => {
  const admin = adminOf(sut);
  await unwrap(admin.POST("/api/secrets", { body: { name: "STRIPE_KEY", description: "Stripe API key for charges", value: "sk_test_not_shown_1" } }));
  await unwrap(admin.POST("/api/secrets", { body: { name: "STRIPE_WEBHOOK", description: "Stripe webhook signing secret", value: "whsec_not_shown_2" } }));
  // reports: approved, then asks for three secrets (one does not exist yet: a stub) → three access requests.
  reports = await registerService(sut, "reports", { version: "2.0.0", secrets: { STRIPE_KEY: "Stripe API key for charges", STRIPE_WEBHOOK: "Stripe webhook signing secret", SLACK_URL: "Slack webhook for reports" } });
  await unwrap(admin.POST("/api/service-tokens/{id}/approve", { params: { path: { id: (await tokenOf(sut, "reports")).id } } }));
  await reports.ask(["STRIPE_KEY", "STRIPE_WEBHOOK", "SLACK_URL"]);
  // billing: a pending token.
  billing = await registerService(sut, "billing", { version: "1.4.0" });
  services.push(reports, billing);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

describe("keyward approvals list", () => {
  it("lists pending tokens and access requests with what they ask, as a table and as JSON; never a token or value", async () => {
    const env = loggedIn(sut);
    const table = await runCli(["approvals", "list"], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KIND\s+ID\s+ENVIRONMENT\s+SERVICE\s+ASKS\s+DETAIL$/m);
    expect(table.stdout).toMatch(/^token\s+\S+\s+development\s+billing\s+token, version 1\.4\.0\s+from 127\.0\.0\.1$/m);
    expect(table.stdout).toMatch(/^access\s+\S+\s+development\s+reports\s+read STRIPE_KEY\s+Stripe API key for charges$/m);
    expect(table.stdout).toMatch(/^access\s+\S+\s+development\s+reports\s+read SLACK_URL\s+Slack webhook for reports$/m);
    const json = JSON.parse((await runCli(["approvals", "list", "--json"], env)).stdout);
    expect(json.map((i: { kind: string }) => i.kind).sort()).toEqual(["access", "access", "access", "token"]);
    expect(json.find((i: { kind: string }) => i.kind === "token")).toMatchObject({ token: { serviceName: "billing", serviceVersion: "1.4.0", status: "pending" } });
    expectNoLeak(table, billing.token, reports.token, "sk_test_not_shown_1", sut.token);
    const other = await runCli(["approvals", "list", "--environment", "staging"], env);
    expect(other.stdout).toBe("nothing waits for approval in staging\n");
  });

  it("refuses the review off a terminal, and names an unknown environment", async () => {
    const env = loggedIn(sut);
    const review = await runCli(["approvals"], env);
    expect(review.code).toBe(EXIT.usage);
    expect(review.stderr).toMatch(/^error: the review needs a terminal; in scripts use keyward approvals list\|approve\|deny/);
    const unknown = await runCli(["approvals", "list", "--environment", "qa"], env);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/unknown environment "qa"; the service has development, staging, production/);
  });
});

describe("keyward approvals approve|deny", () => {
  it("refuses selections that name nothing or contradict themselves, and a viewer key", async () => {
    const env = loggedIn(sut);
    expect((await runCli(["approvals", "approve"], env)).stderr).toMatch(/name what to decide: one or more ids, or --service NAME/);
    const both = await runCli(["approvals", "approve", "x", "--service", "billing"], env);
    expect(both.code).toBe(EXIT.usage);
    const kind = await runCli(["approvals", "deny", "--service", "reports", "--kind", "token", "--secret", "X*"], env);
    expect(kind.stderr).toMatch(/--secret picks access requests; it cannot be used with --kind token/);
    expect((await runCli(["approvals", "deny", "--service", "reports", "--kind", "grant"], env)).stderr).toMatch(/--kind must be token or access, got "grant"/);
    const unknownId = await runCli(["approvals", "approve", "no-such-id"], env);
    expect(unknownId.code).toBe(EXIT.failed);
    expect(unknownId.stderr).toBe("error: nothing pending with id no-such-id in development; see keyward approvals list (or --all-environments)\n");
    const noMatch = await runCli(["approvals", "approve", "--service", "reports", "--secret", "AWS_*"], env);
    expect(noMatch.code).toBe(EXIT.failed);
    expect(noMatch.stderr).toMatch(/no pending tokens or access requests of service reports for secrets matching AWS_\* in development/);
    const viewer = await runCli(["approvals", "approve", "--service", "billing"], loggedIn(sut, {}, await adminKey(sut, "viewer")));
    expect(viewer.code).toBe(EXIT.auth);
    expect(viewer.stderr).toMatch(/^error: not allowed: the viewer role may not call approveServiceToken/);
    // Nothing was decided by any of these.
    expect((await unwrap(adminOf(sut).GET("/api/access-requests", { params: { query: { status: "pending" } } }))).items).toHaveLength(3);
  });

  it("grants by --service and --secret glob, denies by id, approves a token; each decision says what it did", async () => {
    const env = loggedIn(sut);
    const granted = await runCli(["approvals", "approve", "--service", "reports", "--secret", "STRIPE_*"], env);
    expect(granted.code).toBe(0);
    expect(granted.stdout.split("\n").filter(Boolean).sort()).toEqual(["granted: reports asks to read STRIPE_KEY (development)", "granted: reports asks to read STRIPE_WEBHOOK (development)"]);
    const slack = (await unwrap(adminOf(sut).GET("/api/access-requests", { params: { query: { status: "pending", secret: "SLACK_URL" } } }))).items[0]!;
    const denied = await runCli(["approvals", "deny", slack.id, "--json"], env);
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout)).toEqual([{ id: slack.id, kind: "access", outcome: "denied", message: "denied: reports asks to read SLACK_URL (development)" }]);
    const token = await tokenOf(sut, "billing");
    const approved = await runCli(["approvals", "approve", token.id], env);
    expect(approved.stdout).toBe("approved token for billing 1.4.0 (development)\n");
    expectNoLeak(approved, billing.token);
    expect((await runCli(["approvals", "list"], env)).stdout).toBe("nothing waits for approval in development\n");
    const requests = (await unwrap(adminOf(sut).GET("/api/access-requests", { params: { query: { service: "reports" } } }))).items;
    expect(Object.fromEntries(requests.map((r) => [r.secretName, r.status]))).toEqual({ STRIPE_KEY: "granted", STRIPE_WEBHOOK: "granted", SLACK_URL: "denied" });
  });

  it("denying a token revokes it; in a protected environment an approval is held as a change request (exit 0)", async () => {
    const env = loggedIn(sut);
    const intruder = await registerService(sut, "intruder", { version: "0.0.1" });
    const prod = await registerService(sut, "billing", { version: "1.5.0", environment: "production" });
    services.push(intruder, prod);
    const denied = await runCli(["approvals", "deny", "--service", "intruder"], env);
    expect(denied.stdout).toBe("revoked token for intruder 0.0.1 (development)\n");
    expect((await tokenOf(sut, "intruder")).status).toBe("revoked");

    await unwrap(adminOf(sut).PATCH("/api/environments/{name}", { params: { path: { name: "production" } }, body: { protected: true } }));
    const prodToken = await tokenOf(sut, "billing", "production");
    const wrongEnv = await runCli(["approvals", "approve", prodToken.id], env);
    expect(wrongEnv.code).toBe(EXIT.failed);
    const held = await runCli(["approvals", "approve", "--all-environments", prodToken.id], env);
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(/^token for billing 1\.5\.0: held for a second approver: change request \S+ \(production is protected; expires \S+\)\n$/);
    expect((await tokenOf(sut, "billing", "production")).status).toBe("pending");
    expectNoLeak(held, prod.token, intruder.token);
  });
});
