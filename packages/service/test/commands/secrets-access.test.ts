import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { connectDatabase, createSecretStub, ensureAccessRequest, getEnvironmentByName, migrateToLatest } from "@keyward/db";
import { runAccessCommand } from "../../src/commands/access.js";
import { runSecretsCommand } from "../../src/commands/secrets.js";
import { baseEnv, freshPostgresUrl, runInProcess, tmpDir } from "../helpers.js";

// The per-environment CLI (issue #13): usage mistakes and unknown environments exit 2 naming what is
// wrong; the happy paths run in packages/service/test/example-environments.test.ts and walkthrough.test.ts.
const secrets = (argv: string[], env: NodeJS.ProcessEnv, stdin?: string) => runInProcess(runSecretsCommand, argv, env, stdin);
const access = (argv: string[], env: NodeJS.ProcessEnv) => runInProcess(runAccessCommand, argv, env);

async function migratedEnv(): Promise<NodeJS.ProcessEnv> {
  const env = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), KEYWARD_DATA_DIR: tmpDir() };
  const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.KEYWARD_DATA_DIR });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  return env;
}

describe("keyward-service secrets / access: usage", () => {
  it("names each usage mistake with exit 2, before opening anything", async () => {
    const env = { ...baseEnv(), KEYWARD_DATA_DIR: "/nonexistent" };
    const cases: [typeof secrets | typeof access, string[], RegExp][] = [
      [secrets, [], /missing subcommand: secrets list/],
      [secrets, ["rotate"], /unknown secrets subcommand "rotate"/],
      [secrets, ["set"], /missing the secret name/],
      [secrets, ["set", "stripe_key"], /"stripe_key" is not a secret name/],
      [secrets, ["set", "A", "--json"], /--json goes with secrets list/],
      [secrets, ["list", "extra"], /secrets list takes no arguments/],
      [access, ["approve"], /missing the request id/],
      [access, ["approve", "--service", "billing"], /--service and --secret go together/],
      [access, ["approve", "req_1", "--service", "billing", "--secret", "A"], /either a request id or --service/],
      [access, ["list", "--status", "open"], /--status must be one of pending, granted, denied, revoked, got "open"/],
      [access, ["approve", "req_1", "--json"], /--json goes with access list/],
      [access, ["approve", "--service", "Bad Name", "--secret", "A"], /--service "Bad Name"/],
      [secrets, ["delete"], /missing the secret name, e.g. secrets delete/],
      [secrets, ["set", "A", "--break-glass"], /--break-glass needs --reason "<why>"/],
      [secrets, ["delete", "A", "--reason", "why"], /--reason goes with --break-glass/],
      [secrets, ["list", "--break-glass"], /--break-glass and --reason go with secrets set and secrets delete/],
      [access, ["approve", "req_1", "--break-glass"], /--break-glass needs --reason/],
      [access, ["list", "--break-glass", "--reason", "x"], /--break-glass and --reason go with access approve/],
    ];
    for (const [run, argv, message] of cases) {
      const r = await run(argv, env);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(message);
    }
  });
});

describe("keyward-service secrets / access on PostgreSQL", () => {
  it("refuses an unknown environment naming it and the ones that exist; lists carry the environment", async () => {
    const env = await migratedEnv();
    const known = /--environment "qa": no such environment \(environments: development, staging, production\)/;
    for (const r of [await secrets(["list", "--environment", "qa"], env), await secrets(["set", "A", "--environment", "qa"], env, "v"), await access(["list", "--environment", "qa"], env), await access(["approve", "req_1", "--environment", "qa"], env)]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(known);
    }
    expect(await secrets(["list", "--json"], env)).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
    expect((await access(["list"], env)).stdout).toBe("no access requests\n");
  });

  it("secrets set refuses an empty value and a secret that does not exist there, never echoing the value", async () => {
    const env = await migratedEnv();
    const empty = await secrets(["set", "API_KEY"], env, "\n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the value on stdin is empty");
    const value = "v-" + randomBytes(8).toString("hex");
    const missing = await secrets(["set", "API_KEY", "--environment", "staging"], env, value);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: secret API_KEY does not exist in environment staging: run the app there once so it asks for it (a stub), then retry\n");
    expect(missing.stdout + missing.stderr).not.toContain(value);
    const notFound = await access(["approve", "--service", "billing", "--secret", "API_KEY"], env);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toContain('service "billing" has not asked for API_KEY in environment development');
  });

  it("secrets set checks the value against its type as the admin API does (issue #17), names the rule, and audits the refusal", async () => {
    const env = await migratedEnv();
    const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.KEYWARD_DATA_DIR! });
    try {
      const dev = (await getEnvironmentByName(database.db, "development"))!;
      await createSecretStub(database.db, { environmentId: dev.id, name: "ORDERS_DB_URL", description: "", type: "database-url", requestedBy: "test", at: new Date() });
    } finally {
      await database.close();
    }
    const value = "orders-db-" + randomBytes(8).toString("hex");
    const bad = await secrets(["set", "ORDERS_DB_URL"], env, value);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("error: secret ORDERS_DB_URL in environment development: type database-url: must be a URL scheme://host/… (e.g. postgres://host:5432/db)\n");
    expect(bad.stdout + bad.stderr).not.toContain(value);
    const good = await secrets(["set", "ORDERS_DB_URL"], env, `postgres://app:${value}@db.internal/orders`);
    expect(good, good.stderr).toMatchObject({ code: 0, stdout: "set ORDERS_DB_URL in environment development: version 1\n" });
    const reopened = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.KEYWARD_DATA_DIR! });
    try {
      const rows = await reopened.db.selectFrom("audit_log").select(["result", "reason"]).where("action", "=", "secret.value.set").orderBy("seq").execute();
      expect(rows).toEqual([
        { result: "refused", reason: "invalid_value: type database-url: must be a URL scheme://host/… (e.g. postgres://host:5432/db)" },
        { result: "ok", reason: null },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it("refuses to change a protected environment (exit 2 naming it) unless --break-glass --reason, which the audit row records", async () => {
    const env = await migratedEnv();
    const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.KEYWARD_DATA_DIR! });
    try {
      const prod = (await getEnvironmentByName(database.db, "production"))!;
      await createSecretStub(database.db, { environmentId: prod.id, name: "API_KEY", description: "", requestedBy: "test", at: new Date() });
      const { request } = await ensureAccessRequest(database.db, { environmentId: prod.id, secretName: "API_KEY", serviceName: "billing", at: new Date() });
      const value = "v-" + randomBytes(8).toString("hex");
      const protectedMessage = (what: string) =>
        new RegExp(`^error: environment production is protected: ${what} there goes through the admin API as a change request another person approves; to act directly anyway \\(an emergency\\), pass --break-glass --reason "<why>"\n`);
      const refusedSet = await secrets(["set", "API_KEY", "--environment", "production"], env, value);
      expect(refusedSet.code).toBe(2);
      expect(refusedSet.stderr).toMatch(protectedMessage("setting a value"));
      expect(refusedSet.stdout + refusedSet.stderr).not.toContain(value);
      const refusedDelete = await secrets(["delete", "API_KEY", "--environment", "production"], env);
      expect(refusedDelete.code).toBe(2);
      expect(refusedDelete.stderr).toMatch(protectedMessage("deleting a secret"));
      const refusedGrant = await access(["approve", request.id, "--environment", "production"], env);
      expect(refusedGrant.code).toBe(2);
      expect(refusedGrant.stderr).toMatch(protectedMessage("granting access"));
      expect(await database.db.selectFrom("audit_log").select("seq").where("environment", "=", "production").execute()).toEqual([]);

      const set = await secrets(["set", "API_KEY", "--environment", "production", "--break-glass", "--reason", "incident 42"], env, value);
      expect(set, set.stderr).toMatchObject({ code: 0, stdout: "set API_KEY in environment production: version 1\n" });
      const grant = await access(["approve", request.id, "--environment", "production", "--break-glass", "--reason", "incident 42"], env);
      expect(grant.stdout).toBe("granted billing access to API_KEY in environment production (break-glass)\n");
      const del = await secrets(["delete", "API_KEY", "--environment", "production", "--break-glass", "--reason", "incident 42"], env);
      expect(del).toMatchObject({ code: 0, stdout: "deleted API_KEY in environment production (break-glass)\n" });
      expect(await secrets(["delete", "API_KEY", "--environment", "staging"], env)).toMatchObject({ code: 1, stderr: "error: secret API_KEY does not exist in environment staging\n" });
      const rows = await database.db.selectFrom("audit_log").select(["action", "actor_type", "actor_id", "reason"]).where("environment", "=", "production").orderBy("seq").execute();
      expect(rows).toEqual(
        ["secret.value.set", "access.grant", "secret.delete"].map((action) => ({ action, actor_type: "cli", actor_id: expect.stringMatching(/^cli:/), reason: "break-glass: incident 42" })),
      );
    } finally {
      await database.close();
    }
  });
});
