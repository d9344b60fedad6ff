import { randomBytes } from "node:crypto";
import { unwrap } from "@keyward/admin-client";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { cliEnv, runCli, useService } from "./harness.js";
import { spawnInPty } from "./pty.js";
import { adminKey, adminOf, expectNoLeak, loggedIn } from "./support.js";

const sut = useService();
const secretValue = () => "sv_" + randomBytes(12).toString("hex");

describe("keyward secrets", () => {
  it("creates, sets from stdin, lists, versions, rolls back, disables and enables; no value ever reaches the output", async () => {
    const env = loggedIn(sut);
    const first = secretValue();
    const second = secretValue();
    const created = await runCli(["secrets", "create", "STRIPE_KEY", "--description", "Stripe API key for charges", "--type", "api-key"], env);
    expect(created.stderr).toBe("");
    expect(created.stdout).toMatch(/created STRIPE_KEY in development \(stub; set its value with keyward secrets set STRIPE_KEY\)/);
    const set1 = await runCli(["secrets", "set", "STRIPE_KEY"], env, `${first}\n`);
    expect(set1.stdout).toBe("set STRIPE_KEY in development: version 1\n");
    const set2 = await runCli(["secrets", "set", "STRIPE_KEY", "--expected-version", "1"], env, second);
    expect(set2.stdout).toBe("set STRIPE_KEY in development: version 2\n");

    const list = await runCli(["secrets", "list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+TYPE\s+VERSION\s+ROTATION\s+CREDENTIAL\s+ENVIRONMENT\s+DESCRIPTION$/m);
    expect(list.stdout).toMatch(/^STRIPE_KEY\s+active\s+api-key\s+2\s+ok \(\d+d\)\s+-\s+development\s+Stripe API key for charges$/m);
    const json = JSON.parse((await runCli(["secrets", "list", "--json"], env)).stdout);
    expect(json).toEqual([expect.objectContaining({ name: "STRIPE_KEY", status: "active", currentVersion: 2, environment: "development" })]);

    const versions = await runCli(["secrets", "versions", "STRIPE_KEY"], env);
    expect(versions.stdout).toMatch(/^2 \(current\)\s+\S+\s+/m);
    expect(versions.stdout).toMatch(/^1\s+\S+\s+/m);
    const rollback = await runCli(["secrets", "rollback", "STRIPE_KEY", "--to", "1"], env);
    expect(rollback.stdout).toBe("rolled STRIPE_KEY back to the value of version 1 in development: now version 3\n");

    const disabled = await runCli(["secrets", "disable", "STRIPE_KEY"], env);
    expect(disabled.stdout).toBe("disabled STRIPE_KEY in development (now disabled)\n");
    expect((await runCli(["secrets", "list", "--status", "disabled"], env)).stdout).toMatch(/^STRIPE_KEY\s+disabled/m);
    const enabled = await runCli(["secrets", "enable", "STRIPE_KEY"], env);
    expect(enabled.stdout).toBe("enabled STRIPE_KEY in development (now active)\n");

    const withValue = await runCli(["secrets", "create", "DB_PASSWORD", "--with-value", "--environment", "staging"], env, first);
    expect(withValue.stdout).toBe("created DB_PASSWORD in staging (active, version 1)\n");
    for (const result of [created, set1, set2, list, versions, rollback, disabled, enabled, withValue]) expectNoLeak(result, first, second, sut.token);
  });

  it("refuses a value on argv (--value or a second argument) without echoing it, and an empty or missing stdin", async () => {
    const env = loggedIn(sut);
    await runCli(["secrets", "create", "ARGV_KEY"], env);
    const value = secretValue();
    const flag = await runCli(["secrets", "set", "ARGV_KEY", "--value", value], env, "ignored");
    expect(flag.code).toBe(EXIT.usage);
    expect(flag.stderr).toMatch(/--value is not accepted: a value on the command line ends up in shell history/);
    const inline = await runCli(["secrets", "set", "ARGV_KEY", `--value=${value}`], env, "ignored");
    expect(inline.code).toBe(EXIT.usage);
    const positional = await runCli(["secrets", "set", "ARGV_KEY", value], env, "ignored");
    expect(positional.code).toBe(EXIT.usage);
    expect(positional.stderr).toMatch(/secrets set takes one NAME; 1 more argument\(s\) refused and nothing written \(a value is never read from argv\)/);
    for (const result of [flag, inline, positional]) expectNoLeak(result, value);

    const empty = await runCli(["secrets", "set", "ARGV_KEY"], env, "\n");
    expect(empty.code).toBe(EXIT.usage);
    expect(empty.stderr).toMatch(/value of ARGV_KEY on stdin is empty/);
    const none = await runCli(["secrets", "set", "ARGV_KEY"], env);
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toMatch(/nothing on stdin; pipe the value in or run on a terminal/);
    // Nothing was written by any of the refusals.
    const secret = await unwrap(adminOf(sut).GET("/api/secrets/{name}", { params: { path: { name: "ARGV_KEY" } } }));
    expect(secret.currentVersion).toBe(0);
  });

  it("names an unknown secret, a wrong environment, a missing profile and a bad flag", async () => {
    const env = loggedIn(sut);
    const unknown = await runCli(["secrets", "set", "NO_SUCH_SECRET"], env, secretValue());
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.stderr).toBe('error: NO_SUCH_SECRET does not exist in the default environment: pass --description "…" to create it here, or let the app ask for it first (that records a stub)\n');
    const versions = await runCli(["secrets", "versions", "NO_SUCH_SECRET"], env);
    expect(versions.code).toBe(EXIT.failed);
    expect(versions.stderr).toMatch(/NO_SUCH_SECRET/);

    const wrongEnv = await runCli(["secrets", "list", "--environment", "qa"], env);
    expect(wrongEnv.code).toBe(EXIT.failed);
    expect(wrongEnv.stderr).toBe("error: no environment named qa; pick one that exists with --environment NAME (keyward status --all-environments lists them)\n");

    const nobody = await runCli(["secrets", "list"], cliEnv());
    expect(nobody.code).toBe(EXIT.auth);
    expect(nobody.stderr).toBe("error: not logged in: run keyward login (or set KEYWARD_ADMIN_URL and KEYWARD_ADMIN_TOKEN)\n");
    const namedProfile = await runCli(["secrets", "list", "--profile", "work"], cliEnv());
    expect(namedProfile.code).toBe(EXIT.auth);
    expect(namedProfile.stderr).toMatch(/no profile named "work"; run keyward login --profile work/);

    const badType = await runCli(["secrets", "create", "X_KEY", "--type", "SSH key"], env);
    expect(badType.code).toBe(EXIT.usage);
    expect(badType.stderr).toMatch(/--type must be one of api-key, .*generic, .*github-token, smtp, or a custom type's kebab-case name; got "SSH key"/);
    // A kebab-case name the service does not know: the service names it, and nothing is created.
    const unknownType = await runCli(["secrets", "create", "X_KEY", "--type", "ssh-key"], env);
    expect(unknownType.code).toBe(EXIT.failed);
    expect(unknownType.stderr).toMatch(/ssh-key is not a secret type here; known: api-key, /);
    const noName = await runCli(["secrets", "set"], env, "x");
    expect(noName.code).toBe(EXIT.usage);
    expect(noName.stderr).toMatch(/secrets set needs the secret's NAME/);
    const unknownSub = await runCli(["secrets", "delete-all"], env);
    expect(unknownSub.code).toBe(EXIT.usage);
    expect(unknownSub.stderr).toMatch(/unknown secrets command "delete-all"; use one of list, create, set, disable, enable, rollback, versions/);
    const rollback = await runCli(["secrets", "rollback", "X_KEY"], env);
    expect(rollback.stderr).toMatch(/secrets rollback needs --to VERSION/);
    expect((await runCli(["secrets", "rollback", "X_KEY", "--to", "latest"], env)).stderr).toMatch(/--to must be a whole number, got "latest"/);
  });

  it("refuses a stale --expected-version and a write to a disabled secret, naming why, and writes nothing", async () => {
    const env = loggedIn(sut);
    await runCli(["secrets", "create", "CAS_KEY"], env);
    expect((await runCli(["secrets", "set", "CAS_KEY"], env, secretValue())).code).toBe(0);
    const value = secretValue();
    const stale = await runCli(["secrets", "set", "CAS_KEY", "--expected-version", "0"], env, value);
    expect(stale.code).toBe(EXIT.failed);
    expect(stale.stderr).toBe("error: the current version is 1, not the --expected-version given; check keyward secrets versions and try again\n");
    expect((await runCli(["secrets", "disable", "CAS_KEY"], env)).code).toBe(0);
    const disabled = await runCli(["secrets", "set", "CAS_KEY"], env, value);
    expect(disabled.code).toBe(EXIT.failed);
    expect(disabled.stderr).toMatch(/^error: (.+: )?CAS_KEY is disabled; enable it before writing a value\n$/);
    const unknownVersion = await runCli(["secrets", "rollback", "CAS_KEY", "--to", "9"], env);
    expect(unknownVersion.code).toBe(EXIT.failed);
    for (const r of [stale, disabled]) expectNoLeak(r, value);
    expect(unknownVersion.stderr).toBe("error: Secret is disabled: CAS_KEY is disabled; enable it before writing a value\n");
    const secret = await unwrap(adminOf(sut).GET("/api/secrets/{name}", { params: { path: { name: "CAS_KEY" } } }));
    expect(secret).toMatchObject({ currentVersion: 1, status: "disabled" });
  });

  it("gives a viewer key exit 3 on a change and lets it list", async () => {
    const viewer = await adminKey(sut, "viewer");
    const env = loggedIn(sut, {}, viewer);
    const value = secretValue();
    const refused = await runCli(["secrets", "create", "VIEWER_MADE"], env);
    expect(refused.code).toBe(EXIT.auth);
    expect(refused.stderr).toMatch(/^error: not allowed: /);
    const set = await runCli(["secrets", "set", "STRIPE_KEY"], env, value);
    expect(set.code).toBe(EXIT.auth);
    expectNoLeak(set, value, viewer);
    expect((await runCli(["secrets", "list"], env)).code).toBe(0);
  });

  it("reports a change held by a protected environment as a change request, exit 0, with --json too", async () => {
    const admin = adminOf(sut);
    await unwrap(admin.POST("/api/secrets", { params: { query: { environment: "production" } }, body: { name: "PROD_KEY", description: "prod" } }));
    await unwrap(admin.PATCH("/api/environments/{name}", { params: { path: { name: "production" } }, body: { protected: true } }));
    const env = loggedIn(sut, { KEYWARD_ENVIRONMENT: "production" });
    const value = secretValue();
    const held = await runCli(["secrets", "set", "PROD_KEY"], env, value);
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(/^held for a second approver: change request (\S+) \(production is protected; expires \S+\)\n$/);
    const json = await runCli(["secrets", "disable", "PROD_KEY", "--json"], env);
    expect(json.code).toBe(0);
    const outcome = JSON.parse(json.stdout);
    expect(outcome).toMatchObject({ kind: "held", changeRequest: { kind: "secret.disable", target: "secret:PROD_KEY", environment: "production", status: "pending" } });
    expectNoLeak(held, value);
    expectNoLeak(json, value);
    const secret = await unwrap(admin.GET("/api/secrets/{name}", { params: { path: { name: "PROD_KEY" }, query: { environment: "production" } } }));
    expect(secret).toMatchObject({ status: "stub", currentVersion: 0 });
  });

  it("reads the value from a hidden prompt on a terminal: what is typed is never echoed (pseudo-terminal)", async () => {
    await unwrap(adminOf(sut).POST("/api/secrets", { body: { name: "TYPED_KEY", description: "typed at the prompt" } }));
    const value = secretValue();
    const session = spawnInPty(["secrets", "set", "TYPED_KEY"], loggedIn(sut));
    try {
      await session.waitFor(/value of TYPED_KEY: /);
      session.write(value + "\r");
      await session.waitFor(/set TYPED_KEY in development: version 1/);
      expect(await session.exit).toBe(0);
      expect(session.screen()).not.toContain(value);
    } finally {
      session.kill();
    }
  });

  it("acts in the logged-in profile's environment unless --environment says otherwise", async () => {
    const env = cliEnv();
    expect((await runCli(["login", "--url", sut.adminUrl, "--environment", "staging"], env, sut.token)).code).toBe(0);
    const created = await runCli(["secrets", "create", "PROFILE_KEY"], env);
    expect(created.stdout).toMatch(/^created PROFILE_KEY in staging /);
    expect((await runCli(["secrets", "list", "--search", "PROFILE"], env)).stdout).toMatch(/^PROFILE_KEY\s+stub\s+generic\s+0\s+no_value\s+-\s+staging/m);
    expect((await runCli(["secrets", "list", "--search", "PROFILE", "--environment", "development"], env)).stdout).toBe("no secrets in development match\n");
    expectNoLeak(created, sut.token);
  });
});
