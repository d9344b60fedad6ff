import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { connectPostgres, createApprovalRule, ensureAccessRequest, getEnvironmentByName } from "@keyward/db";
import { startSecretsService } from "../src/index.js";
import { baseEnv, CLI, freshPostgresUrl, tmpDir } from "./helpers.js";

function tokens(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, "tokens", ...args], { env: { ...baseEnv(), ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const schema = { properties: { SMTP_PASSWORD: { description: "SMTP password" } } } as const;
const reasonOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof SecretsClientError ? e.reason : String(e)));

describe("keyward-service tokens approve (headless)", () => {
  it("approves a service's pending token while the service runs on PostgreSQL; the approval is audited", async () => {
    const dataDir = tmpDir("kw-tokens-");
    const url = await freshPostgresUrl();
    // Keys from the environment, as a headless deployment would have them.
    const env = { DATABASE_URL: url, KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const service = await startSecretsService({ env, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    const token = "kws_" + randomBytes(32).toString("base64url");
    const client = createSecretsClient(schema, { url: service.grpcAddress, token, serviceName: "mailer" });
    try {
      expect(await client.register()).toBe("pending");
      expect(await reasonOf(client.getSecret("SMTP_PASSWORD"))).toBe("token_pending");

      const r = tokens(env, "approve", "--service", "mailer");
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^approved token \S+ \(service mailer, environment development\)\n$/);
      expect(r.out + r.err).not.toContain(token);

      // The running service sees the approval (change notifications), without a restart.
      const deadline = Date.now() + 30_000;
      let reason = await reasonOf(client.getSecret("SMTP_PASSWORD"));
      while (reason === "token_pending" && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 100));
        reason = await reasonOf(client.getSecret("SMTP_PASSWORD"));
      }
      expect(reason).toBe("access_pending");

      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const audit = await db.query("select actor_type, actor_id, action, target, result, environment from audit_log where action = 'token.approve'");
        expect(audit.rows).toEqual([{ actor_type: "cli", actor_id: expect.stringMatching(/^cli:\S+@\S+$/), action: "token.approve", target: expect.stringMatching(/^token:/), result: "ok", environment: "development" }]);
      } finally {
        await db.end();
      }

      // Approving by id: an unknown id, and no pending token left for the service.
      const unknown = tokens(env, "approve", "no-such-token");
      expect(unknown.code).toBe(1);
      expect(unknown.err).toBe("error: no service token with id no-such-token in environment development\n");
      const none = tokens(env, "approve", "--service", "mailer");
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/service "mailer" has no pending token in environment development: run the app once so it registers/);

      // Tokens are bound to an environment: --environment picks where to look.
      const prodClient = createSecretsClient(schema, { url: service.grpcAddress, token: "kws_" + randomBytes(32).toString("base64url"), serviceName: "mailer", environment: "production" });
      try {
        expect(await prodClient.register()).toBe("pending");
        expect(tokens(env, "approve", "--service", "mailer").code).toBe(1);
        // Production is protected: the CLI (direct database access) refuses unless --break-glass --reason.
        const held = tokens(env, "approve", "--service", "mailer", "--environment", "production");
        expect(held.code).toBe(2);
        expect(held.err).toMatch(/^error: environment production is protected: approving a token there goes through the admin API as a change request another person approves; to act directly anyway \(an emergency\), pass --break-glass --reason "<why>"\n/);
        const prod = tokens(env, "approve", "--service", "mailer", "--environment", "production", "--break-glass", "--reason", "incident 7: mailer down");
        expect(prod.code, prod.err).toBe(0);
        expect(prod.out).toMatch(/^approved token \S+ \(service mailer, environment production\) \(break-glass\)\n$/);
        const audit = new pg.Client({ connectionString: url });
        await audit.connect();
        try {
          const rows = (await audit.query("select actor_type, actor_id, reason from audit_log where action = 'token.approve' and environment = 'production'")).rows;
          expect(rows).toEqual([{ actor_type: "cli", actor_id: expect.stringMatching(/^cli:/), reason: "break-glass: incident 7: mailer down" }]);
        } finally {
          await audit.end();
        }
        const nowhere = tokens(env, "approve", "--service", "mailer", "--environment", "nowhere");
        expect(nowhere.code).not.toBe(0);
        expect(nowhere.err).toMatch(/--environment "nowhere": no such environment/);

        // tokens list: every environment's tokens with an environment column, never a token.
        const list = tokens(env, "list");
        expect(list.code, list.err).toBe(0);
        const [header, ...lines] = list.out.trim().split("\n");
        expect(header).toMatch(/^ID\s+SERVICE\s+ENVIRONMENT\s+STATUS\s+REQUESTED\s+FROM$/);
        expect(lines.map((l) => l.split(/\s+/).slice(1, 4))).toEqual([
          ["mailer", "development", "approved"],
          ["mailer", "production", "approved"],
        ]);
        expect(list.out).not.toContain(token);
        const json = tokens(env, "list", "--environment", "production", "--json");
        expect(json.code, json.err).toBe(0);
        expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ serviceName: "mailer", environment: "production", status: "approved", peerAddress: "127.0.0.1" })]);
      } finally {
        prodClient.close();
      }
    } finally {
      client.close();
      await service.close();
    }
  });

  it("grants, with the approval, the service's pending requests an access.grant rule matches, as the admin API does", async () => {
    const url = await freshPostgresUrl();
    const env = { DATABASE_URL: url, KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const service = await startSecretsService({ env, dataDir: tmpDir("kw-tokens-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    const database = await connectPostgres(url);
    try {
      const dev = (await getEnvironmentByName(database.db, "development"))!;
      // A request the service made with an earlier token waits; a rule added since covers it.
      await ensureAccessRequest(database.db, { environmentId: dev.id, secretName: "SMTP_PASSWORD", serviceName: "mailer", at: new Date() });
      const rule = await createApprovalRule(database.db, { environmentId: dev.id, kind: "access.grant", servicePattern: "mail*", secretPattern: "SMTP_*", actor: "t", at: new Date() });
      if (rule.kind !== "ok") throw new Error(rule.kind);
      const client = createSecretsClient(schema, { url: service.grpcAddress, token: "kws_" + randomBytes(32).toString("base64url"), serviceName: "mailer" });
      try {
        expect(await client.register()).toBe("pending");
        expect(tokens(env, "approve", "--service", "mailer").code).toBe(0);
      } finally {
        client.close();
      }
      const request = await database.db.selectFrom("access_requests").select(["status", "decided_by"]).where("service_name", "=", "mailer").executeTakeFirstOrThrow();
      expect(request).toEqual({ status: "granted", decided_by: `rule:${rule.rule.id}` });
      const rows = await database.db.selectFrom("audit_log").select(["actor_id", "action"]).where("action", "=", "access.grant").execute();
      expect(rows).toEqual([{ actor_id: `rule:${rule.rule.id}`, action: "access.grant" }]);
    } finally {
      await database.close();
      await service.close();
    }
  });

  it("refuses to pick between several pending tokens of one service unless --all", async () => {
    const url = await freshPostgresUrl();
    const env = { DATABASE_URL: url, KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const service = await startSecretsService({ env, dataDir: tmpDir("kw-tokens-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    const clients = [0, 1].map(() => createSecretsClient(schema, { url: service.grpcAddress, token: "kws_" + randomBytes(32).toString("base64url"), serviceName: "worker" }));
    try {
      for (const c of clients) expect(await c.register()).toBe("pending");
      const refused = tokens(env, "approve", "--service", "worker");
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/service "worker" has 2 pending tokens \(\S+, \S+\): approve one by id, or pass --all/);
      const all = tokens(env, "approve", "--service", "worker", "--all");
      expect(all.code, all.err).toBe(0);
      expect(all.out.trim().split("\n")).toHaveLength(2);

      // A new token for a name that already has approved ones could be anyone claiming it: refused
      // unless the operator says so, naming where it registered from.
      const newcomer = createSecretsClient(schema, { url: service.grpcAddress, token: "kws_" + randomBytes(32).toString("base64url"), serviceName: "worker" });
      clients.push(newcomer);
      expect(await newcomer.register()).toBe("pending");
      const flagged = tokens(env, "approve", "--service", "worker");
      expect(flagged.code).toBe(1);
      expect(flagged.err).toMatch(/service "worker" already has 2 approved token\(s\); a new one would inherit their grants, so it may be someone else claiming the name\. Pending: \S+ from 127\.0\.0\.1\. Check it, then approve it by id or pass --allow-shared-name/);
      expect(tokens(env, "approve", "--service", "worker", "--all").code).toBe(1);
      const allowed = tokens(env, "approve", "--service", "worker", "--allow-shared-name");
      expect(allowed.code, allowed.err).toBe(0);
      expect(await newcomer.register()).toBe("approved");
    } finally {
      for (const c of clients) c.close();
      await service.close();
    }
  });

  it("refuses to open an embedded database that a running service holds", async () => {
    const dataDir = tmpDir("kw-tokens-");
    const service = await startSecretsService({ env: {}, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    try {
      const r = tokens({}, "approve", "--service", "mailer", "--data-dir", dataDir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/the embedded database in .* is open by a running keyward-service: stop it first \(or use the admin API\)/);
    } finally {
      await service.close();
    }
  });

  it("names usage mistakes and a data directory without a database", () => {
    const cases: [string[], number, RegExp][] = [
      [[], 2, /missing subcommand: tokens approve/],
      [["revoke", "x"], 2, /unknown tokens subcommand "revoke"; expected "approve"/],
      [["approve"], 2, /missing the token id \(or --service NAME\)/],
      [["approve", "a", "b"], 2, /expected one token id, got 2/],
      [["approve", "x", "--service", "mailer"], 2, /give either a token id or --service NAME, not both/],
      [["approve", "x", "--all"], 2, /--all goes with --service NAME/],
      [["approve", "x", "--allow-shared-name"], 2, /--allow-shared-name goes with --service NAME/],
      [["approve", "--service", "Mailer Service"], 2, /--service "Mailer Service": a service name is lower case/],
      [["approve", "../../etc"], 2, /"..\/..\/etc" is not a token id/],
      [["list", "x"], 2, /tokens list takes no arguments, got 1/],
      [["list", "--service", "mailer"], 2, /--service goes with tokens approve/],
      [["approve", "x", "--json"], 2, /--json goes with tokens list/],
      [["approve", "x", "--break-glass"], 2, /--break-glass needs --reason "<why>"/],
      [["approve", "x", "--break-glass", "--reason", " "], 2, /--reason is empty/],
      [["approve", "x", "--reason", "why"], 2, /--reason goes with --break-glass/],
      [["list", "--break-glass", "--reason", "why"], 2, /--break-glass and --reason go with tokens approve/],
      [["approve", "--service", "mailer", "--data-dir", tmpDir()], 1, /(no Keyward database in|key file .*audit\.key does not exist)/],
    ];
    for (const [args, code, message] of cases) {
      const r = tokens({}, ...args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.err, args.join(" ")).toMatch(message);
    }
    expect(tokens({}, "--help").out).toMatch(/^Usage:\n  keyward-service tokens approve <token-id>/);
  });
});
