import { unwrap } from "@keyward/admin-client";
import { createSecretsClient, createServiceToken } from "@keyward/secrets";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { adminOf, expectNoLeak, loggedIn, registerService, tokenOf } from "./support.js";

const sut = useService();

describe("keyward approvals approve --grant and secrets set --description", () => {
  it("approves a service's token, grants it a secret ahead of asking, creates the secret with its value; the service then reads it at once", async () => {
    const env = loggedIn(sut);
    const token = createServiceToken();
    const client = createSecretsClient(
      { properties: { INVOICE_API_KEY: { description: "Invoice provider key" } } },
      { url: sut.grpcAddress, token, serviceName: "invoicer", env: {}, retry: { maxAttempts: 1 }, cache: false },
    );
    try {
      expect(await client.register()).toBe("pending");
      const approve = await runCli(["approvals", "approve", "--service", "invoicer", "--grant", "INVOICE_API_KEY"], env);
      expect(approve.stderr).toBe("");
      expect(approve.code).toBe(0);
      expect(approve.stdout).toMatch(/approved .*invoicer/i);
      expect(approve.stdout).toMatch(/^granted INVOICE_API_KEY to invoicer in development \(rule rule_[0-9a-f]{32}\)$/m);

      const missing = await runCli(["secrets", "set", "INVOICE_API_KEY"], env, "never-read\n");
      expect(missing.code).toBe(EXIT.failed);
      expect(missing.stderr).toMatch(/INVOICE_API_KEY does not exist in the default environment: pass --description "…" to create it here/);

      const value = "inv_live_" + "z".repeat(20);
      const set = await runCli(["secrets", "set", "INVOICE_API_KEY", "--description", "Invoice provider key", "--type", "api-key"], env, `${value}\n`);
      expect(set.stderr).toBe("");
      expect(set.stdout).toMatch(/^created INVOICE_API_KEY in development: version 1$/m);
      expectNoLeak(set, value);

      // The first request is granted by the rule in its own transaction: the value arrives at once.
      expect(await client.getSecret("INVOICE_API_KEY")).toBe(value);
      const rules = await unwrap(adminOf(sut).GET("/api/environments/{name}/rules", { params: { path: { name: "development" } } }));
      expect(rules.items.filter((r) => r.servicePattern === "invoicer")).toHaveLength(1);

      // Again: nothing pending, the rule exists; nothing new is made.
      const again = await runCli(["approvals", "approve", "--service", "invoicer", "--grant", "INVOICE_API_KEY"], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^already granted INVOICE_API_KEY to invoicer in development/m);
      expect((await unwrap(adminOf(sut).GET("/api/environments/{name}/rules", { params: { path: { name: "development" } } }))).items.filter((r) => r.servicePattern === "invoicer")).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("refuses --grant without --service, with deny, with a bad name, and in a protected environment", async () => {
    const env = loggedIn(sut);
    expect((await runCli(["approvals", "approve", "--grant", "A"], env)).stderr).toMatch(/--grant goes with --service NAME/);
    expect((await runCli(["approvals", "deny", "--service", "x", "--grant", "A"], env)).stderr).toMatch(/--grant goes with approve/);
    const bad = await runCli(["approvals", "approve", "--service", "x", "--grant", "lower-case"], env);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/"lower-case" is not a secret name or glob/);
    const service = await registerService(sut, "prod-app", { environment: "production" });
    try {
      const prod = await runCli(["approvals", "approve", "--service", "prod-app", "--kind", "token", "--grant", "DB_URL", "--environment", "production"], env);
      expect(prod.code).not.toBe(0);
      expect(prod.stderr).toMatch(/protected/);
      expect((await tokenOf(sut, "prod-app", "production")).status).toBeDefined();
    } finally {
      await service.close();
    }
  });
});
