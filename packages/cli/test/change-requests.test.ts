import { AdminApiError, unwrap, unwrapChange } from "@keyward/admin-client";
import type { ChangeRequest } from "@keyward/spec";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { decisionRefusal } from "../src/change-requests/refusal.js";
import { EXIT, main } from "../src/index.js";
import { runCli, useService, type CliResult } from "./harness.js";
import { adminKey, adminOf, expectNoLeak, loggedIn } from "./support.js";

const sut = useService();
/** Every CLI result of this file: none may hold a value or a token (checked at the end). */
const results: CliResult[] = [];
const cli = async (argv: string[], env: NodeJS.ProcessEnv): Promise<CliResult> => {
  const result = await runCli(argv, env);
  results.push(result);
  return result;
};

// The values set before and held by change requests: never in any output.
const FIRST_VALUE = "first-prod-value-not-shown-4a1";
const HELD_VALUE = "held-prod-value-not-shown-9c2";
const STAGING_HELD_VALUE = "held-staging-value-not-shown-7e3";
let alice: string; // a second admin: may approve the owner's requests
let bob: string; // a third admin
let viewer: string;
// Held in beforeAll by the owner: a value for DB_URL in production (one approval needed) and for API_KEY in staging (two).
let prodValue: ChangeRequest;
let stagingValue: ChangeRequest;

/** Asks for a change as the owner in a protected environment, and returns the change request that holds it. */
async function held(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<ChangeRequest> {
  const outcome = await unwrapChange(call);
  if (outcome.kind !== "held") throw new Error("expected the change to be held");
  return outcome.changeRequest;
}

const requestOf = (id: string) => unwrap(adminOf(sut).GET("/api/change-requests/{id}", { params: { path: { id } } }));
const secretIn = (name: string, environment: string) => unwrap(adminOf(sut).GET("/api/secrets/{name}", { params: { path: { name }, query: { environment } } }));
const setValue = (name: string, environment: string, value: string) =>
  held(adminOf(sut).PUT("/api/secrets/{name}/value", { params: { path: { name }, query: { environment } }, body: { value } }));
const disable = (name: string, environment: string) => held(adminOf(sut).POST("/api/secrets/{name}/disable", { params: { path: { name }, query: { environment } } }));

beforeAll(async () => {
  const admin = adminOf(sut);
  alice = await adminKey(sut, "admin", "alice");
  bob = await adminKey(sut, "admin", "bob");
  viewer = await adminKey(sut, "viewer");
  // production is protected from the start (one other person approves): its first values are change requests too.
  for (const name of ["DB_URL", "FEATURE_FLAGS"]) {
    await unwrap(admin.POST("/api/secrets", { params: { query: { environment: "production" } }, body: { name, description: `${name} for tests` } }));
    const first = await setValue(name, "production", FIRST_VALUE);
    await unwrap(adminOf(sut, alice).POST("/api/change-requests/{id}/approve", { params: { path: { id: first.id } } }));
  }
  // staging: protected after its first value, with two approvals needed.
  await unwrap(admin.POST("/api/secrets", { params: { query: { environment: "staging" } }, body: { name: "API_KEY", description: "API_KEY for tests", value: FIRST_VALUE } }));
  await unwrap(admin.PATCH("/api/environments/{name}", { params: { path: { name: "staging" } }, body: { protected: true, approvalsRequired: 2 } }));
  prodValue = await setValue("DB_URL", "production", HELD_VALUE);
  stagingValue = await setValue("API_KEY", "staging", STAGING_HELD_VALUE);
});

describe("keyward change-requests list", () => {
  it("lists pending requests of every environment as a table and as JSON, with what each changes; an empty state", async () => {
    const [prod, stage] = [prodValue, stagingValue];
    const owner = loggedIn(sut);
    const table = await cli(["change-requests", "list"], owner);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+ENVIRONMENT\s+CHANGE\s+REQUESTED_BY\s+APPROVALS\s+EXPIRES\s+STATUS$/m);
    expect(table.stdout).toMatch(new RegExp(`^${prod.id}\\s+production\\s+set value of DB_URL\\s+admin:\\S+ \\(you\\)\\s+0/1\\s+${prod.expiresAt.replace(/\./g, "\\.")}\\s+pending$`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^${stage.id}\\s+staging\\s+set value of API_KEY\\s+admin:\\S+ \\(you\\)\\s+0/2\\s+\\S+\\s+pending$`, "m"));
    // Newest first.
    expect(table.stdout.indexOf(stage.id)).toBeLessThan(table.stdout.indexOf(prod.id));
    // Another admin sees the same requests, not marked as theirs.
    const other = await cli(["change-requests", "list", "--environment", "production"], loggedIn(sut, {}, alice));
    expect(other.stdout).toMatch(new RegExp(`^${prod.id}\\s+production\\s+set value of DB_URL\\s+admin:\\S+\\s+0/1\\s`, "m"));
    expect(other.stdout).not.toContain("(you)");
    expect(other.stdout).not.toContain(stage.id);
    // A key scoped to some environments (the API lists one of them at a time) sees those only.
    const scoped = await unwrap(adminOf(sut).POST("/api/admin-keys", { body: { name: "staging-viewer", role: "viewer", environments: ["staging"] } }));
    const onlyStaging = await cli(["change-requests", "list", "--json"], loggedIn(sut, {}, scoped.token));
    expect((JSON.parse(onlyStaging.stdout) as ChangeRequest[]).map((r) => r.id)).toEqual([stage.id]);
    expectNoLeak(onlyStaging, scoped.token);

    const json = await cli(["change-requests", "list", "--json"], owner);
    const items = JSON.parse(json.stdout) as ChangeRequest[];
    expect(items.map((r) => r.id)).toEqual([stage.id, prod.id]);
    expect(items[1]).toMatchObject({ kind: "secret.set_value", target: "secret:DB_URL", environment: "production", status: "pending", holdsValue: true, approvals: [] });

    const none = await cli(["change-requests", "list", "--environment", "development"], owner);
    expect(none).toEqual({ code: 0, stdout: "no pending change requests in development\n", stderr: "" });
    const expired = await cli(["change-requests", "list", "--status", "expired"], owner);
    expect(expired.stdout).toBe("no expired change requests\n");
    expect(JSON.parse((await cli(["change-requests", "list", "--status", "expired", "--json"], owner)).stdout)).toEqual([]);
    // The first values of production were applied in beforeAll: --status applied lists them, --status all everything.
    const applied = JSON.parse((await cli(["change-requests", "list", "--status", "applied", "--json"], owner)).stdout) as ChangeRequest[];
    expect(applied.map((r) => [r.target, r.status, r.approvals.length])).toEqual([["secret:FEATURE_FLAGS", "applied", 1], ["secret:DB_URL", "applied", 1]]);
    expect(JSON.parse((await cli(["change-requests", "list", "--status", "all", "--json"], owner)).stdout)).toHaveLength(4);
  });

  it("colours the status badge on a terminal only", async () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    let text = "";
    stdout.on("data", (c) => (text += c.toString()));
    expect(await main(["change-requests", "list"], { stdout, stderr: new PassThrough(), env: loggedIn(sut) })).toBe(0);
    expect(text).toContain("\u001b[33mpending\u001b[0m");
    expect((await cli(["change-requests", "list"], loggedIn(sut))).stdout).not.toContain("\u001b[");
  });

  it("refuses a bad --status, an unknown environment and arguments (exit 2)", async () => {
    const owner = loggedIn(sut);
    const status = await cli(["change-requests", "list", "--status", "open"], owner);
    expect(status.code).toBe(EXIT.usage);
    expect(status.stderr).toMatch(/^error: --status must be pending, approved, rejected, expired, applied or all, got "open"/);
    const unknown = await cli(["change-requests", "list", "--environment", "qa"], owner);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/unknown environment "qa"; the service has development, staging, production/);
    const extra = await cli(["change-requests", "list", "production"], owner);
    expect(extra.code).toBe(EXIT.usage);
    expect(extra.stderr).toMatch(/change-requests list takes no arguments, got "production"/);
  });
});

describe("keyward change-requests show", () => {
  it("shows what a request changes, who asked, the approvals and the expiry; --json the request", async () => {
    const request = await setValue("FEATURE_FLAGS", "production", HELD_VALUE);
    const shown = await cli(["change-requests", "show", request.id], loggedIn(sut, {}, alice));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^change request  ${request.id}$`, "m"));
    expect(shown.stdout).toMatch(/^environment\s+production$/m);
    expect(shown.stdout).toMatch(/^change\s+set value of FEATURE_FLAGS$/m);
    expect(shown.stdout).toMatch(/^kind\s+secret\.set_value \(target secret:FEATURE_FLAGS\)$/m);
    expect(shown.stdout).toMatch(/^value\s+held sealed in the service; never shown/m);
    expect(shown.stdout).toMatch(/^status\s+pending$/m);
    expect(shown.stdout).toMatch(new RegExp(`^requested by\\s+${request.requestedBy} at ${request.createdAt.replace(/\./g, "\\.")}$`, "m"));
    expect(shown.stdout).toMatch(/^approvals\s+0 of 1 needed$/m);
    expect(shown.stdout).toMatch(/^expires\s+\S+ \(in (2[34] h)\)$/m);
    expect(shown.stdout).toContain(`decide: keyward change-requests approve ${request.id}`);
    const json = JSON.parse((await cli(["change-requests", "show", request.id, "--json"], loggedIn(sut))).stdout);
    expect(json).toEqual(await requestOf(request.id));
    // The requester sees it as theirs.
    expect((await cli(["change-requests", "show", request.id], loggedIn(sut))).stdout).toMatch(/^requested by\s+admin:\S+ \(you\) at /m);
    // It is still to be decided: reject it so later tests start clean.
    expect((await cli(["change-requests", "reject", request.id], loggedIn(sut, {}, alice))).code).toBe(0);
  });

  it("names an unknown id (exit 1) and refuses an id that is not one (exit 2)", async () => {
    const owner = loggedIn(sut);
    const missing = `cr_${"0".repeat(32)}`;
    for (const sub of ["show", "approve", "reject"]) {
      const unknown = await cli(["change-requests", sub, missing], owner);
      expect(unknown.code).toBe(EXIT.failed);
      expect(unknown.stderr).toBe(`error: no change request with id ${missing}; see keyward change-requests list --status all\n`);
      const bad = await cli(["change-requests", sub, "42"], owner);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.stderr).toMatch(/^error: "42" is not a change request ID: it is cr_ and 32 hex digits \(see keyward change-requests list\)\n/);
      const none = await cli(["change-requests", sub], owner);
      expect(none.code).toBe(EXIT.usage);
      expect(none.stderr).toMatch(new RegExp(`^error: change-requests ${sub} takes one change request ID \\(see keyward change-requests list\\), got 0`));
    }
    const unknownSub = await cli(["change-requests", "accept"], owner);
    expect(unknownSub.code).toBe(EXIT.usage);
    expect(unknownSub.stderr).toMatch(/unknown change-requests command "accept"; use one of list, show, approve, reject/);
  });
});

describe("keyward change-requests approve|reject", () => {
  it("refuses the requester's own approval, naming why; another admin's approval applies the change", async () => {
    const request = prodValue;
    const own = await cli(["change-requests", "approve", request.id], loggedIn(sut));
    expect(own.code).toBe(EXIT.failed);
    expect(own.stderr).toBe(
      `error: refused: change request ${request.id} was asked for by you (this key, another key of the same owner or the same sign-in), and nobody approves their own change; another person must approve it (or withdraw it: keyward change-requests reject ${request.id})\n`,
    );
    expect((await requestOf(request.id)).status).toBe("pending");
    expect((await secretIn("DB_URL", "production")).currentVersion).toBe(1);

    const approved = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, alice));
    expect(approved.code).toBe(0);
    expect(approved.stdout).toBe(`approved and applied: set value of DB_URL in production (change request ${request.id})\n`);
    expect((await secretIn("DB_URL", "production")).currentVersion).toBe(2);
    expect(await requestOf(request.id)).toMatchObject({ status: "applied", holdsValue: false, approvals: [{ actor: expect.stringMatching(/^admin:/) }] });

    const again = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, bob));
    expect(again.code).toBe(EXIT.failed);
    expect(again.stderr).toMatch(new RegExp(`^error: cannot approve change request ${request.id}: it was already applied by admin:\\S+ at \\S+\\n$`));
  });

  it("counts approvals where two are needed: approved (1 of 2), one person once, then approved and applied", async () => {
    const request = stagingValue;
    const first = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, alice));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^approved \\(1 of 2\\): set value of API_KEY in staging \\(change request ${request.id}\\); waiting for 1 more approval\\(s\\) until \\S+\\n$`));
    const twice = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, alice));
    expect(twice.code).toBe(EXIT.failed);
    expect(twice.stderr).toBe(`error: you approved change request ${request.id} already; one person counts once, so another person must approve it\n`);
    expect((await cli(["change-requests", "show", request.id], loggedIn(sut))).stdout).toMatch(/^approvals\s+1 of 2 needed\n\s+admin:\S+ at \S+$/m);
    expect((await secretIn("API_KEY", "staging")).currentVersion).toBe(1);

    const second = await cli(["change-requests", "approve", request.id, "--json"], loggedIn(sut, {}, bob));
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ id: request.id, status: "applied", approvals: [{}, {}] });
    expect((await secretIn("API_KEY", "staging")).currentVersion).toBe(2);
  });

  it("rejects: nothing changes, and a decided request cannot be decided again", async () => {
    const request = await disable("FEATURE_FLAGS", "production");
    const rejected = await cli(["change-requests", "reject", request.id], loggedIn(sut, {}, alice));
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toBe(`rejected: disable FEATURE_FLAGS in production (change request ${request.id}); nothing was changed\n`);
    expect((await secretIn("FEATURE_FLAGS", "production")).status).toBe("active");
    expect((await requestOf(request.id)).status).toBe("rejected");
    const late = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, bob));
    expect(late.code).toBe(EXIT.failed);
    expect(late.stderr).toMatch(new RegExp(`^error: cannot approve change request ${request.id}: it was already rejected by admin:\\S+ at \\S+\\n$`));
    const rejectedList = await cli(["change-requests", "list", "--status", "rejected", "--environment", "production"], loggedIn(sut));
    expect(rejectedList.stdout).toMatch(new RegExp(`^${request.id}\\s+production\\s+disable FEATURE_FLAGS\\s+.*\\s+rejected$`, "m"));

    // The requester may withdraw their own request; a held value is destroyed with it.
    const value = await setValue("FEATURE_FLAGS", "production", HELD_VALUE);
    const withdrawn = await cli(["change-requests", "reject", value.id, "--json"], loggedIn(sut));
    expect(withdrawn.code).toBe(0);
    expect(JSON.parse(withdrawn.stdout)).toMatchObject({ id: value.id, status: "rejected", holdsValue: false });
  });

  it("refuses a viewer (exit 3) and a request outside --environment (exit 1); both leave it pending", async () => {
    const request = await disable("DB_URL", "production");
    const asViewer = await cli(["change-requests", "approve", request.id], loggedIn(sut, {}, viewer));
    expect(asViewer.code).toBe(EXIT.auth);
    expect(asViewer.stderr).toMatch(/^error: not allowed: the viewer role may not call approveChangeRequest/);
    // A viewer may look.
    expect((await cli(["change-requests", "show", request.id], loggedIn(sut, {}, viewer))).code).toBe(0);
    const elsewhere = await cli(["change-requests", "approve", request.id, "--environment", "staging"], loggedIn(sut, {}, alice));
    expect(elsewhere.code).toBe(EXIT.failed);
    expect(elsewhere.stderr).toBe(`error: change request ${request.id} is in production, not staging; nothing was approved\n`);
    expect((await requestOf(request.id)).status).toBe("pending");
    expect((await cli(["change-requests", "reject", request.id, "--environment", "production"], loggedIn(sut, {}, alice))).code).toBe(0);
  });

  it("says an expired request expired, with its expiry (read again after the refusal)", async () => {
    const id = `cr_${"a".repeat(32)}`;
    const expired = { id, status: "expired", expiresAt: "2026-01-02T03:04:05.000Z" } as ChangeRequest;
    const refusal = await decisionRefusal(new AdminApiError(409, { title: "Change request expired", detail: "…", field: "id" }), id, "approve", async () => expired);
    expect(refusal?.exitCode).toBe(EXIT.failed);
    expect(refusal?.message).toBe(`cannot approve change request ${id}: it expired at 2026-01-02T03:04:05.000Z; nothing was changed (make the change again to open a new request)`);
    // A role's 403 is main's to word (exit 3).
    expect(await decisionRefusal(new AdminApiError(403, { title: "Forbidden", field: "role" }), id, "reject", async () => expired)).toBeUndefined();
  });
});

describe("keyward status and help point to keyward change-requests", () => {
  it("status names keyward change-requests list for held change requests", async () => {
    expect((await cli(["status", "--environment", "production"], loggedIn(sut))).stdout).toBe("nothing waits in production\n");
    const request = await disable("FEATURE_FLAGS", "production");
    const status = await cli(["status", "--environment", "production"], loggedIn(sut));
    expect(status.code).toBe(EXIT.notReady);
    expect(status.stdout).toMatch(new RegExp(`^production\\s+change\\s+secret\\.disable secret:FEATURE_FLAGS\\s+held\\s+id ${request.id}, 0/1 approvals`, "m"));
    expect(status.stdout).toMatch(/\n\nwaiting: 1 change request\(s\) held; review with keyward change-requests list\n$/);
  });

  it("keyward --help lists the command; keyward change-requests --help documents it", async () => {
    const help = await cli(["--help"], loggedIn(sut));
    expect(help.stdout).toMatch(/^ {2}change-requests list\|show\|approve\|reject\s+review and decide changes held in protected environments$/m);
    const own = await cli(["change-requests", "--help"], loggedIn(sut));
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^ {2}keyward change-requests approve ID$/m);
    expect(own.stdout).toContain("Nobody approves their own request");
    expect((await cli(["change-requests", "list", "--help"], loggedIn(sut))).stdout).toBe(own.stdout);
  });
});

describe("no output holds a value or a token", () => {
  it("checks every command run in this file", () => {
    expect(results.length).toBeGreaterThan(30);
    for (const result of results) expectNoLeak(result, FIRST_VALUE, HELD_VALUE, STAGING_HELD_VALUE, sut.token, alice, bob, viewer);
  });
});
