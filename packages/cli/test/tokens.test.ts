import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { adminKey, expectNoLeak, loggedIn, registerService, tokenOf, type TestService } from "./support.js";

const sut = useService();
let api: TestService;
let staged: TestService;

beforeAll(async () => {
  api = await registerService(sut, "api", { version: "5.0.0" });
  staged = await registerService(sut, "api", { version: "5.0.1", environment: "staging" });
});
afterAll(async () => {
  await Promise.all([api.close(), staged.close()]);
});

describe("keyward tokens", () => {
  it("lists, approves until a time, clears the expiry and revokes; the token itself never shows", async () => {
    const env = loggedIn(sut);
    const { id } = await tokenOf(sut, "api");
    const list = await runCli(["tokens", "list", "--status", "pending"], env);
    expect(list.stdout).toMatch(/^ID\s+SERVICE\s+VERSION\s+STATUS\s+ENVIRONMENT\s+FROM\s+EXPIRES\s+LAST_USED$/m);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+api\\s+5\\.0\\.0\\s+pending\\s+development\\s+127\\.0\\.0\\.1\\s+never\\s+never$`, "m"));
    expect(list.stdout).not.toMatch(/5\.0\.1/); // staging's token is listed only there

    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const approved = await runCli(["tokens", "approve", id, "--expires-at", until], env);
    expect(approved.stdout).toBe(`approved api 5.0.0 (${id}, development), until ${until}\n`);
    const cleared = await runCli(["tokens", "approve", id, "--no-expiry", "--json"], env);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ kind: "done", data: { id, status: "approved", expiresAt: null } });
    const revoked = await runCli(["tokens", "revoke", id], env);
    expect(revoked.stdout).toBe(`revoked api 5.0.0 (${id}, development); it can never be used again\n`);
    for (const result of [list, approved, cleared, revoked]) expectNoLeak(result, api.token, staged.token, sut.token);
  });

  it("names a token registered without a version by its service alone", async () => {
    const env = loggedIn(sut);
    const bare = await registerService(sut, "worker", { version: "" });
    try {
      const { id } = await tokenOf(sut, "worker");
      const approved = await runCli(["tokens", "approve", id], env);
      expect(approved.stdout).toBe(`approved worker (${id}, development), no expiry\n`);
      expectNoLeak(approved, bare.token, sut.token);
    } finally {
      await bare.close();
    }
  });

  it("refuses a revoked token, names the environment of a token it cannot find, and usage mistakes", async () => {
    const env = loggedIn(sut);
    const { id } = await tokenOf(sut, "api");
    const again = await runCli(["tokens", "approve", id], env);
    expect(again.code).toBe(EXIT.failed);
    expect(again.stderr).toBe("error: Token cannot be approved: the token is revoked\n");
    const stagedId = (await tokenOf(sut, "api", "staging")).id;
    const elsewhere = await runCli(["tokens", "approve", stagedId], env);
    expect(elsewhere.code).toBe(EXIT.failed);
    expect(elsewhere.stderr).toBe(`error: no service token with id ${stagedId} in the default environment; a token is bound to one environment: give it with --environment NAME (keyward tokens list --environment NAME)\n`);
    const there = await runCli(["tokens", "approve", stagedId, "--environment", "staging"], env);
    expect(there.code).toBe(0);
    const past = await runCli(["tokens", "approve", stagedId, "--environment", "staging", "--expires-at", "2020-01-01T00:00:00Z"], env);
    expect(past.code).toBe(EXIT.failed);
    expect(past.stderr).toMatch(/expiresAt must be in the future/);
    expect((await runCli(["tokens", "approve"], env)).stderr).toMatch(/tokens approve takes one token ID \(see keyward tokens list\), got 0/);
    expect((await runCli(["tokens", "approve", stagedId, "--expires-at", "2030-01-01T00:00:00Z", "--no-expiry"], env)).stderr).toMatch(/give --expires-at or --no-expiry, not both/);
    expect((await runCli(["tokens", "list", "--status", "live"], env)).stderr).toMatch(/--status must be pending, approved or revoked, got "live"/);
    const viewer = await runCli(["tokens", "revoke", stagedId, "--environment", "staging"], loggedIn(sut, {}, await adminKey(sut, "viewer")));
    expect(viewer.code).toBe(EXIT.auth);
    expect((await tokenOf(sut, "api", "staging")).status).toBe("approved");
  });
});
