import { randomBytes } from "node:crypto";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";
import { describe, expect, it } from "vitest";
import { startSecretsService, type ServiceCallbacks } from "../src/index.js";
import { adminApi, freshPostgresUrl, tmpDir } from "./helpers.js";

type Seen = { hook: string; arg: unknown };

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function recorder(): { seen: Seen[]; callbacks: ServiceCallbacks } {
  const seen: Seen[] = [];
  return {
    seen,
    callbacks: {
      onTokenPending: (arg) => void seen.push({ hook: "onTokenPending", arg }),
      onSecretStub: (arg) => void seen.push({ hook: "onSecretStub", arg }),
      onAccessRequest: (arg) => void seen.push({ hook: "onAccessRequest", arg }),
    },
  };
}

const backends = [
  ["pglite", async () => ({ dataDir: tmpDir("kw-cb-") })],
  ["postgres", async () => ({ dataDir: tmpDir("kw-cb-"), databaseUrl: await freshPostgresUrl() })],
] as const;

describe.each(backends)("callbacks (%s)", (_name, storage) => {
  it("fire for a pending token, a stub and an access request made through the real gRPC API", async () => {
    const { seen, callbacks } = recorder();
    const service = await startSecretsService({ env: {}, ...(await storage()), grpcPort: 0, httpPort: 0, logLevel: "silent", callbacks });
    const token = "kws_" + randomBytes(32).toString("base64url");
    const client = createSecretsClient({ properties: { MAILGUN_KEY: { description: "Mailgun API key" } } } as const, { url: service.grpcAddress, token, serviceName: "mailer" });
    try {
      expect(await client.register()).toBe("pending");
      await until(() => seen.some((s) => s.hook === "onTokenPending"), "onTokenPending");
      const admin = adminApi(service.adminUrl, service.bootstrapToken!);
      const pending = await admin("GET", "/api/service-tokens?status=pending");
      expect(seen.find((s) => s.hook === "onTokenPending")!.arg).toEqual({ id: pending.items[0].id });
      await admin("POST", `/api/service-tokens/${pending.items[0].id}/approve`);

      await expect(client.getSecret("MAILGUN_KEY")).rejects.toBeInstanceOf(SecretsClientError);
      await until(() => seen.some((s) => s.hook === "onAccessRequest"), "onAccessRequest");
      expect(seen.filter((s) => s.hook === "onSecretStub").map((s) => s.arg)).toEqual([{ name: "MAILGUN_KEY" }]);
      expect(seen.filter((s) => s.hook === "onAccessRequest").map((s) => s.arg)).toEqual([{ secretName: "MAILGUN_KEY", serviceName: "mailer" }]);

      // Asking again changes nothing, so no hook fires twice.
      await expect(client.getSecret("MAILGUN_KEY")).rejects.toBeInstanceOf(SecretsClientError);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.filter((s) => s.hook !== "onTokenPending")).toHaveLength(2);
      // Hooks never see a token.
      expect(JSON.stringify(seen)).not.toContain(token);
    } finally {
      client.close();
      await service.close();
    }
  });
});

describe("callbacks and expectedSecrets (pglite)", () => {
  it("a throwing hook is logged without its message and the service keeps serving; other hooks still run", async () => {
    const lines: string[] = [];
    const logger = (await import("@keyward/common")).createLogger({ level: "error", destination: { write: (l: string) => void lines.push(l) } as never });
    const seen: string[] = [];
    const service = await startSecretsService({
      env: {},
      dataDir: tmpDir("kw-cb-"),
      grpcPort: 0,
      httpPort: 0,
      logger,
      callbacks: {
        onSecretStub: () => {
          throw new Error("webhook said: sk_live_should_not_be_logged");
        },
        onChange: (e) => void seen.push(e.kind),
      },
      expectedSecrets: [{ name: "SENDGRID_KEY", description: "SendGrid key" }],
    });
    try {
      await until(() => lines.some((l) => l.includes("callback failed")), "the failure log line");
      expect(seen).toContain("secret");
      expect(lines.join("")).toContain('"hook":"onSecretStub"');
      expect(lines.join("")).not.toContain("sk_live_should_not_be_logged");
      const res = await fetch(`${service.adminUrl}/readyz`);
      expect(res.status).toBe(200);
      // expectedSecrets created the stub at start.
      const secrets = await adminApi(service.adminUrl, service.bootstrapToken!)("GET", "/api/secrets");
      expect(secrets.items).toEqual([expect.objectContaining({ name: "SENDGRID_KEY", status: "stub", description: "SendGrid key" })]);
    } finally {
      await service.close();
    }
  });

  it("rejects an invalid expected secret name before opening anything", async () => {
    const dataDir = tmpDir("kw-cb-");
    await expect(startSecretsService({ env: {}, dataDir, logLevel: "silent", expectedSecrets: [{ name: "stripe-key", description: "x" }] })).rejects.toThrow(
      /expectedSecrets: "stripe-key": a secret name must be upper snake case/,
    );
    expect((await import("node:fs")).readdirSync(dataDir)).toEqual([]);
  });
});

describe("onChangeRequest (pglite)", () => {
  it("fires when a change in protected production is requested, approved by another person and applied; never with the value", async () => {
    const seen: unknown[] = [];
    const service = await startSecretsService({ env: {}, dataDir: tmpDir("kw-cb-"), grpcPort: 0, httpPort: 0, logLevel: "silent", callbacks: { onChangeRequest: (r) => void seen.push(r) } });
    const value = "sk_live_" + randomBytes(12).toString("hex");
    try {
      const alice = adminApi(service.adminUrl, service.bootstrapToken!);
      const created = await alice("POST", "/api/admin-keys", { name: "bob", role: "admin", owner: "bob" });
      const bob = adminApi(service.adminUrl, created.token);
      await alice("POST", "/api/secrets?environment=production", { name: "STRIPE_KEY", description: "Stripe" });
      const held = await alice("PUT", "/api/secrets/STRIPE_KEY/value?environment=production", { value });
      await until(() => seen.length >= 1, "the opened request");
      expect(seen[0]).toEqual({ id: held.id, change: "secret.set_value", target: "secret:STRIPE_KEY", status: "pending", approvals: 0, approvalsRequired: 1, environment: "production" });
      await bob("POST", `/api/change-requests/${held.id}/approve`);
      await until(() => seen.some((r) => (r as { status: string }).status === "applied"), "the applied request");
      expect(seen.map((r) => (r as { status: string }).status)).toEqual(["pending", "approved", "applied"]);
      expect(JSON.stringify(seen)).not.toContain(value);
    } finally {
      await service.close();
    }
  });
});
