import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { cliEnv, runCli, tmpDir, useService } from "./harness.js";

const sut = useService();
const KEYWARD_PACKAGES = path.resolve(import.meta.dirname, "../..");

/** A bare app package in a temporary directory. */
function makeApp(): string {
  const dir = tmpDir("kw-onboard-app-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "@acme/billing-api", version: "1.0.0", private: true }, null, 2));
  return dir;
}

function writeAnswers(answers: unknown): string {
  const file = path.join(tmpDir("kw-onboard-answers-"), "answers.json");
  fs.writeFileSync(file, JSON.stringify(answers));
  return file;
}

async function admin(method: string, p: string, body?: unknown): Promise<any> {
  const res = await fetch(sut.adminUrl + p, { method, headers: { authorization: `Bearer ${sut.token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

describe("keyward onboard --non-interactive", () => {
  it("scaffolds the app, creates and registers its token, writes .env and reports what waits; a second run changes nothing", async () => {
    const dir = makeApp();
    fs.writeFileSync(path.join(dir, ".env"), "# the app's own\nPORT=3000\n");
    const answers = {
      dir,
      service: "billing-api",
      serviceUrl: sut.grpcAddress,
      environment: "development",
      wireClient: true,
      keywardLink: KEYWARD_PACKAGES,
      secrets: [
        { name: "STRIPE_API_KEY", description: "Stripe API key for charges", type: "api-key" },
        { name: "WEBHOOK_SECRET", description: "Signs outgoing webhooks", optional: true },
      ],
    };
    const first = await runCli(["onboard", "--non-interactive", "--answers-file", writeAnswers(answers), "--json"], cliEnv());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.scaffold.added).toEqual(["STRIPE_API_KEY", "WEBHOOK_SECRET"]);
    expect(report.health).toBe("serving");
    expect(report.token).toBe("pending");
    expect(report.secrets.map((s: { state: string }) => s.state)).toEqual(["token_pending", "token_pending"]);
    expect(report.next).toMatch(/approves the token of billing-api: keyward approvals/);

    const schema = JSON.parse(fs.readFileSync(path.join(dir, "secrets.schema.json"), "utf8"));
    expect(Object.keys(schema.properties)).toEqual(["STRIPE_API_KEY", "WEBHOOK_SECRET"]);
    expect(schema.properties.STRIPE_API_KEY["x-keyward"]).toEqual({ type: "api-key" });
    expect(fs.readFileSync(path.join(dir, "secrets.ts"), "utf8")).toContain("STRIPE_API_KEY");
    expect(fs.existsSync(path.join(dir, "secrets-client.ts"))).toBe(true);
    const tokenFile = path.join(dir, ".keyward/service-token");
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(tokenFile, "utf8").trim();
    expect(first.stdout).not.toContain(token);
    expect(fs.readFileSync(path.join(dir, ".gitignore"), "utf8")).toContain(".keyward/");
    const env = fs.readFileSync(path.join(dir, ".env"), "utf8");
    expect(env).toBe(`# the app's own\nPORT=3000\nKEYWARD_URL=${sut.grpcAddress}\nKEYWARD_TOKEN_FILE=.keyward/service-token\nKEYWARD_ENVIRONMENT=development\nKEYWARD_SERVICE_NAME=billing-api\n`);

    // The admin sees the registered token, approves it, grants and sets one value: the report follows.
    const { items: tokens } = await admin("GET", "/api/service-tokens?environment=development");
    const registered = tokens.find((t: { serviceName: string }) => t.serviceName === "billing-api");
    expect(registered.status).toBe("pending");
    await admin("POST", `/api/service-tokens/${registered.id}/approve?environment=development`, {});

    const second = await runCli(["onboard", "--non-interactive", "--answers-file", writeAnswers(answers), "--json"], cliEnv());
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.scaffold).toEqual({ written: [], added: [], kept: ["STRIPE_API_KEY", "WEBHOOK_SECRET"] });
    expect(again.tokenCreated).toBe(false);
    expect(again.envChanged).toEqual([]);
    expect(again.token).toBe("approved");
    // The optional secret reads as absent rather than failing: the app would start without it.
    expect(again.secrets.map((s: { state: string }) => s.state)).toEqual(["access_pending", "optional_unserved"]);
    expect(again.next).toMatch(/grants STRIPE_API_KEY to billing-api: keyward approvals/);
    expect(fs.readFileSync(tokenFile, "utf8").trim()).toBe(token);

    // Access granted and a value set: the secret is served, and the next step is the app's own.
    const { items: requests } = await admin("GET", "/api/access-requests?environment=development");
    const request = requests.find((r: { serviceName: string; secretName: string }) => r.serviceName === "billing-api" && r.secretName === "STRIPE_API_KEY");
    await admin("POST", `/api/access-requests/${request.id}/approve?environment=development`);
    const value = "sk_test_onboard_" + "q".repeat(24);
    await admin("PUT", "/api/secrets/STRIPE_API_KEY/value?environment=development", { value });
    const third = await runCli(["onboard", "--non-interactive", "--answers-file", writeAnswers(answers)], cliEnv());
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/✓ STRIPE_API_KEY: served/);
    expect(third.stdout).toContain(`Next: cd ${dir} && pnpm install && pnpm secrets:generate`);
    expect(third.stdout + third.stderr).not.toContain(value);
  });

  it("prints a readable report with the next step on a non-terminal", async () => {
    const dir = makeApp();
    const file = writeAnswers({ dir, service: "report-app", serviceUrl: sut.grpcAddress, environment: "development", wireClient: false, secrets: [{ name: "DB_PASSWORD", description: "database password" }] });
    const result = await runCli(["onboard", "--non-interactive", "--answers-file", file], cliEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ schema: added DB_PASSWORD/);
    expect(result.stdout).toMatch(/✓ gRPC health: serving/);
    expect(result.stdout).toMatch(/… DB_PASSWORD: waits for the token's approval/);
    expect(result.stdout).toMatch(/Next: an admin approves the token of report-app/);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it("refuses a bad answers file naming each field, before writing anything", async () => {
    const dir = makeApp();
    const file = writeAnswers({ dir, service: "Billing API", serviceUrl: "http://x", environment: "development", wireClient: "yes", secrets: [{ name: "stripe", description: "" }], extra: 1 });
    const result = await runCli(["onboard", "--non-interactive", "--answers-file", file], cliEnv());
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("service must be kebab-case");
    expect(result.stderr).toContain("serviceUrl must be host:port");
    expect(result.stderr).toContain("wireClient must be boolean");
    expect(result.stderr).toContain("secrets[0].name must be a secret name in upper snake case");
    expect(result.stderr).toContain("secrets[0].description must NOT have fewer than 1 characters");
    expect(result.stderr).toContain("extra is not a known field");
    expect(fs.readdirSync(dir)).toEqual(["package.json"]);

    const missing = await runCli(["onboard", "--non-interactive", "--answers-file", path.join(dir, "nope.json")], cliEnv());
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/cannot read the answers file .*nope\.json: ENOENT/);
    const notJson = path.join(dir, "bad.json");
    fs.writeFileSync(notJson, "{ dir: 1");
    expect((await runCli(["onboard", "--non-interactive", "--answers-file", notJson], cliEnv())).stderr).toMatch(/is not valid JSON/);
    const dup = writeAnswers({ dir, service: "x", serviceUrl: sut.grpcAddress, environment: "development", wireClient: false, secrets: [{ name: "A", description: "a" }, { name: "A", description: "b" }] });
    expect((await runCli(["onboard", "--non-interactive", "--answers-file", dup], cliEnv())).stderr).toContain('secrets[1].name "A" is listed twice');
  });

  it("refuses the wizard without a terminal, and --non-interactive without a file", async () => {
    const noTty = await runCli(["onboard"], cliEnv(), "");
    expect(noTty.code).toBe(EXIT.usage);
    expect(noTty.stderr).toMatch(/needs a terminal; in CI use --non-interactive --answers-file FILE/);
    expect((await runCli(["onboard", "--non-interactive"], cliEnv())).stderr).toMatch(/--non-interactive needs --answers-file FILE/);
  });

  it("exits 4 and names the address when the service does not answer, with the token already in place", async () => {
    const dir = makeApp();
    const file = writeAnswers({ dir, service: "lonely-app", serviceUrl: "127.0.0.1:1", environment: "development", wireClient: false, secrets: [] });
    const result = await runCli(["onboard", "--non-interactive", "--answers-file", file], cliEnv());
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stdout).toMatch(/… gRPC health: unreachable/);
    expect(result.stdout).toMatch(/Next: start the service/);
    expect(fs.existsSync(path.join(dir, ".keyward/service-token"))).toBe(true);
  });
});
