/// <reference lib="dom" />
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { consoleDir } from "@keyward/console";
import { SecretsServiceClient, type GetSecretResponse } from "@keyward/proto";
import { startSecretsService, type RunningService } from "../../src/index.js";
import { ensureChromium, launchChromium } from "./chromium.js";

// The admin console in a real headless Chromium against the real service (PGlite, gRPC, HTTP on
// loopback): sign in, approve a service, fill the secret its gRPC call asked for, grant access,
// and see the gRPC call succeed. Then every page in the light and the dark theme (and at 768 px),
// each checked with axe-core. Screenshots go to packages/service/test-artifacts/console/ (gitignored).
const unavailable = ensureChromium();
if (unavailable) console.warn(`SKIPPED the browser test: ${unavailable}`);

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts/console");
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const VALUE = "sk_live_" + randomBytes(18).toString("hex");
const SERVICE_TOKEN = "kws_" + randomBytes(32).toString("base64url");
const SECRET = "STRIPE_API_KEY";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-console-e2e-"));

let service: RunningService;
let client: SecretsServiceClient;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const responses: Promise<{ url: string; body: string }>[] = [];
// Script errors and CSP violations on the page (failed requests such as the wrong sign-in's 401 are expected).
const pageErrors: string[] = [];

const auth = () => {
  const md = new Metadata();
  md.set("authorization", `Bearer ${SERVICE_TOKEN}`);
  return md;
};
function grpcCall<Req, Res>(method: (req: Req, md: Metadata, cb: (err: ServiceError | null, res?: Res) => void) => unknown, req: Req): Promise<{ res?: Res; err?: ServiceError }> {
  return new Promise((resolve) => method.call(client, req, auth(), (err, res) => resolve(err ? { err } : { res: res! })));
}
const getSecret = () => grpcCall<{ name: string; description: string }, GetSecretResponse>(client.getSecret, { name: SECRET, description: "Stripe secret key" });
const reasonOf = (err?: ServiceError) => err?.metadata.get("keyward-reason")[0];

let shot = 0;
const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
// A navigation link's name is the page's, followed by its badge ("Approvals 2 waiting") when something waits.
const navLink = (label: string) => page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: new RegExp(`^${label}( \\d+\\+? waiting)?$`) });
const goTo = async (label: string) => {
  await navLink(label).click();
  await page.getByRole("heading", { level: 1, name: label }).waitFor();
};
/** Waits until no skeleton is left on the page (every list has loaded). */
const settled = () => page.waitForFunction(() => document.querySelector(".kw-skeleton") === null);

/**
 * axe-core in the page: the serious and critical violations, with where they are. Its source is
 * evaluated through the DevTools protocol: the console's CSP (script-src 'self') rightly refuses
 * an inline <script> (page.addScriptTag), and the test must not weaken it.
 */
async function axeViolations() {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document);
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
}

/**
 * The typed value is nowhere: not in the live DOM (markup or any input's value), not in any network
 * response so far, not in localStorage or sessionStorage (which also never hold the admin token here).
 */
async function expectValueNowhere(when: string) {
  const dom = await page.content();
  const inputs = await page.$$eval("input, textarea", (els) => els.map((e) => (e as HTMLInputElement).value));
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const bodies = await Promise.all(responses);
  expect(bodies.length, when).toBeGreaterThan(5);
  expect(bodies.some((b) => b.url.includes("/api/missing-secrets")), when).toBe(true);
  expect(dom, when).not.toContain(VALUE);
  expect(inputs.join("\n"), when).not.toContain(VALUE);
  expect(storage, when).not.toContain(VALUE);
  expect(storage, when).not.toContain(service.bootstrapToken!);
  for (const b of bodies) expect(b.body, `${when}: ${b.url}`).not.toContain(VALUE);
}

beforeAll(async () => {
  if (unavailable) return;
  if (!fs.existsSync(path.join(consoleDir, "index.html"))) throw new Error(`the console is not built (${consoleDir}); run: pnpm --filter @keyward/console build`);
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  service = await startSecretsService({ env: {}, logger: createLogger({ level: "warn" }), dataDir, host: "127.0.0.1", grpcPort: 0, httpPort: 0, consoleDir });
  client = new SecretsServiceClient(service.grpcAddress, credentials.createInsecure());
  browser = await launchChromium();
  page = await browser.context.newPage();
  // Every response the page receives, body included, to look for the value later.
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) pageErrors.push(msg.text());
  });
  page.on("response", (response) => responses.push(response.body().then((b) => ({ url: response.url(), body: b.toString("utf8") }), () => ({ url: response.url(), body: "" }))));
});

afterAll(async () => {
  client?.close();
  await browser?.close();
  await service?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)("the admin console in headless Chromium", () => {
  it("signs in, approves the service, fills the missing secret and grants access; the value never comes back", async () => {
    expect(service.bootstrapToken).toMatch(/^kwa_/);
    const consoleUrl = `${service.adminUrl}/admin/`;

    // 1. Sign in with the bootstrap token; "remember" is off, so nothing is stored.
    await page.goto(consoleUrl);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expect(page.getByText("kept in this tab's sessionStorage")).toBeTruthy();
    await screenshot("sign-in");
    await page.getByLabel("Admin token").fill("kwa_wrong" + "x".repeat(40));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Sign-in failed" }).waitFor();
    await page.getByLabel("Admin token").fill(service.bootstrapToken!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as bootstrap (owner)").waitFor();
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);

    // 2. A service registers its token and asks for its secret: not approved yet.
    const registered = await grpcCall<{ serviceName: string; serviceVersion: string; environment: string }, unknown>(client.registerToken, { serviceName: "billing", serviceVersion: "2.1.0", environment: "" });
    expect(registered.err).toBeUndefined();
    expect(reasonOf((await getSecret()).err)).toBe("token_pending");

    // 3. Approve the service token, after a confirmation.
    await goTo("Approvals");
    const tokenRow = page.locator('[data-table="tokens"] tr[data-service="billing"]');
    await tokenRow.waitFor();
    await screenshot("approvals-token-pending");
    await tokenRow.getByRole("button", { name: "Approve" }).click();
    await expect(await tokenRow.getByRole("dialog").getAttribute("aria-label")).toBe("Approve the token of billing? It can then ask for secrets.");
    await screenshot("approvals-confirm-dialog");
    await tokenRow.getByRole("button", { name: "Confirm" }).click();
    await tokenRow.waitFor({ state: "detached" });
    // The result is announced in the toasts' live region.
    await page.getByRole("region", { name: "Notifications" }).locator('[data-toast="ok"]', { hasText: "Approved billing." }).waitFor();

    // 4. Now the gRPC call records the missing secret (a stub) and an access request.
    const missing = await getSecret();
    expect(missing.err?.code).toBe(7); // PERMISSION_DENIED, as for a secret it was not granted
    expect(reasonOf(missing.err)).toBe("access_pending");

    // 5. The missing secret shows, with the service that asked; set its value.
    await goTo("Missing secrets");
    const stubRow = page.locator(`tr[data-name="${SECRET}"]`);
    await stubRow.waitFor();
    expect(await stubRow.locator('[data-service="billing"]').count()).toBe(1);
    expect(await stubRow.textContent()).toContain("Stripe secret key");
    await screenshot("missing-secrets");
    await page.getByRole("button", { name: `Add value for ${SECRET}` }).click();
    await page.getByLabel("Value", { exact: true }).fill(VALUE);
    // The check below can see a value when it is there: while typed, it is in an input.
    expect(await page.$$eval("input", (els) => els.map((e) => (e as HTMLInputElement).value))).toContain(VALUE);
    await screenshot("missing-secrets-value-typed");
    await page.getByRole("button", { name: "Save" }).click();
    await stubRow.waitFor({ state: "detached" });
    await page.getByText("No missing secrets").waitFor();
    await screenshot("missing-secrets-filled");
    await expectValueNowhere("after saving");

    // 6. Still no access: the request waits for an admin.
    expect(reasonOf((await getSecret()).err)).toBe("access_pending");

    // 7. Approve the access request.
    await goTo("Approvals");
    const requestRow = page.locator(`[data-table="requests"] tr[data-service="billing"][data-secret="${SECRET}"]`);
    await requestRow.waitFor();
    await screenshot("approvals-access-pending");
    // By keyboard only: Enter on Approve moves the focus to Confirm; Enter again confirms.
    await requestRow.getByRole("button", { name: "Approve" }).focus();
    await page.keyboard.press("Enter");
    await requestRow.getByRole("button", { name: "Confirm" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Confirm");
    await page.keyboard.press("Enter");
    await requestRow.waitFor({ state: "detached" });
    await page.getByText("No access requests are waiting.").waitFor();
    await screenshot("approvals-done");

    // 8. The gRPC call now returns the value.
    const granted = await getSecret();
    expect(granted.err).toBeUndefined();
    expect(granted.res).toMatchObject({ name: SECRET, value: VALUE, version: 1 });

    // The other pages, for the record: secrets (masked), tokens, audit (chain verified).
    await goTo("Secrets");
    await page.locator(`tr[data-name="${SECRET}"]`).getByText("••••••••").waitFor();
    await screenshot("secrets");
    await goTo("Service tokens");
    await page.locator('tr[data-service="billing"][data-status="approved"]').waitFor();
    await screenshot("service-tokens");
    await goTo("Audit log");
    await page.locator('[data-chain="ok"]').waitFor();
    await page.locator('tr[data-action="secret.value.set"], tr[data-action*="value"]').first().waitFor();
    await screenshot("audit-log");

    await goTo("Admin keys");
    await page.locator('tr[data-name="bootstrap"][data-status="active"]').waitFor();
    await screenshot("admin-keys");
    await expectValueNowhere("after every page");

    // A deep link is served by the SPA fallback and opens the same page (memory-only token: sign in again).
    await page.goto(`${service.adminUrl}/admin/secrets`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    expect(pageErrors).toEqual([]);

    // And after a reload, nothing was kept either.
    await expectValueNowhere("after a reload");
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
  });

  it("keeps the token in sessionStorage only when asked, forgets it on sign-out, and signs in with an API key", async () => {
    await page.goto(`${service.adminUrl}/admin/tokens`);
    await page.getByLabel("Admin token").fill(service.bootstrapToken!);
    await page.getByLabel("Remember me in this browser tab").check();
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Service tokens" }).waitFor();
    expect(await page.evaluate(() => [localStorage.length, Object.values({ ...sessionStorage })])).toEqual([0, [service.bootstrapToken]]);
    // A reload keeps the session; sign-out clears it.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Service tokens" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    await screenshot("signed-out");

    // An owner creates an API key in the console (shown once); it signs in on its own.
    await page.getByLabel("Admin token").fill(service.bootstrapToken!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await goTo("Admin keys");
    await page.getByLabel("Name", { exact: true }).fill("ops team");
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Create key" }).click();
    const apiKey = (await page.locator("[data-new-key]").textContent())!.trim();
    expect(apiKey).toMatch(/^kwa_/);
    await screenshot("admin-keys-created");
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.content()).not.toContain(apiKey);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token").fill(apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as ops team (admin)").waitFor();
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain(apiKey);
  });
  it("shows every page in the light and the dark theme and at 768 px, each without serious or critical axe violations", async () => {
    // Something waits on every list: a new service's pending token, and a stub with its access request.
    const reportsToken = new Metadata();
    reportsToken.set("authorization", `Bearer kws_${randomBytes(32).toString("base64url")}`);
    const registered = await new Promise<ServiceError | null>((resolve) => client.registerToken({ serviceName: "reports", serviceVersion: "0.3.0", environment: "" }, reportsToken, (err) => resolve(err)));
    expect(registered).toBeNull();
    expect(reasonOf((await grpcCall<{ name: string; description: string }, GetSecretResponse>(client.getSecret, { name: "SENTRY_DSN", description: "Where errors are reported" })).err)).toBe("access_pending");

    // A secret on a 7-day rotation is due within the 14-day reminder window as soon as it has a value.
    const adminCall = (method: string, path: string, body: unknown) =>
      fetch(`${service.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${service.bootstrapToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await adminCall("POST", "/api/secrets", { name: "WEEKLY_TOKEN", description: "Rotated every week", rotationDays: 7 })).status).toBe(201);
    expect((await adminCall("PUT", "/api/secrets/WEEKLY_TOKEN/value", { value: "weekly-value-4c1d" })).status).toBe(200);

    await page.goto(`${service.adminUrl}/admin/`);
    await page.getByLabel("Admin token").fill(service.bootstrapToken!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();

    // The overview counts what waits, links each count to its page, and the navigation shows the same counts.
    await settled();
    expect(await page.locator('[data-count="pendingTokens"] .count').textContent()).toBe("1");
    expect(await page.locator('[data-count="pendingRequests"] .count').textContent()).toBe("1");
    expect(await page.locator('[data-count="stubs"] .count').textContent()).toBe("1");
    expect(await page.locator('[data-count="stubs"]').getAttribute("href")).toBe("/admin/missing");
    expect(await navLink("Approvals").textContent()).toContain("2 waiting");
    expect(await navLink("Missing secrets").textContent()).toContain("1 waiting");
    expect(await page.locator('[data-count="rotationDue"] .count').textContent()).toBe("1");
    expect(await page.locator('[data-count="rotationOverdue"] .count').textContent()).toBe("0");
    await page.locator('[data-count="rotationDue"]').click();
    await page.getByRole("heading", { level: 1, name: "Secrets" }).waitFor();
    expect(await page.getByLabel("Rotation").inputValue()).toBe("due_soon");
    await page.getByRole("cell", { name: /WEEKLY_TOKEN/ }).waitFor();
    expect(await page.getByRole("cell", { name: /STRIPE_API_KEY/ }).count()).toBe(0);
    await goTo("Overview");
    // A rotation count opens the secrets with that rotation filter set.
    expect(await page.locator('[data-count="rotationOverdue"]').getAttribute("href")).toBe("/admin/secrets?rotation=overdue");
    await page.locator('[data-count="rotationOverdue"]').click();
    await page.getByRole("heading", { level: 1, name: "Secrets" }).waitFor();
    expect(await page.getByLabel("Rotation").inputValue()).toBe("overdue");
    await page.getByText("No secrets match.").waitFor();
    await goTo("Overview");
    await page.locator('[data-count="pendingTokens"]').click();
    await page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();

    // The skip link is the first stop of the keyboard and leads to the page's content.
    expect(await page.evaluate(() => document.querySelector("a[href], button, input, select, [tabindex='0']")?.textContent)).toBe("Skip to content");
    await page.getByRole("link", { name: "Skip to content" }).focus();
    await screenshot("skip-link");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // The next stops are the page's own controls, each with a visible focus ring.
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const el = document.activeElement!;
        return { inMain: !!el.closest("main"), shadow: getComputedStyle(el).boxShadow, outline: getComputedStyle(el).outlineStyle };
      });
      expect(ring.inMain).toBe(true);
      expect(ring.shadow !== "none" || ring.outline !== "none", JSON.stringify(ring)).toBe(true);
    }
    await screenshot("keyboard-focus");

    const pages = ["Overview", "Approvals", "Change requests", "Missing secrets", "Secrets", "Secrets matrix", "Environments", "Service tokens", "Audit log", "Admin keys"];
    const problems: Record<string, unknown> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const label of pages) {
        await goTo(label);
        await settled();
        expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--kw-color-scheme").trim())).toBe(colorScheme);
        await screenshot(`${colorScheme}-${label.toLowerCase().replace(/ /g, "-")}`);
        const violations = await axeViolations();
        if (violations.length) problems[`${colorScheme} ${label}`] = violations;
      }
      // The secret panel too: its edit form, kept versions and actions.
      await goTo("Secrets");
      await page.getByRole("button", { name: `Edit ${SECRET}` }).click();
      await page.locator(`tr[data-version="1"]`).waitFor();
      await screenshot(`${colorScheme}-secret-panel`);
      const panelViolations = await axeViolations();
      if (panelViolations.length) problems[`${colorScheme} secret panel`] = panelViolations;
    }
    // An open confirmation dialog too, in the dark theme.
    await goTo("Approvals");
    await settled();
    await page.locator('[data-table="tokens"] tr[data-service="reports"]').getByRole("button", { name: "Deny" }).click();
    await page.getByRole("dialog").waitFor();
    await screenshot("dark-confirm-dialog");
    const dialogViolations = await axeViolations();
    if (dialogViolations.length) problems["dark confirm dialog"] = dialogViolations;
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect(problems).toEqual({});

    // 768 px wide: the navigation moves above the page and nothing overflows the window.
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 768, height: 1000 });
    for (const label of ["Overview", "Secrets"]) {
      await goTo(label);
      await settled();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      await screenshot(`768-${label.toLowerCase()}`);
    }
    expect(await axeViolations()).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });

    // The theme switch: Dark sticks (in localStorage, the only thing kept there) until System again.
    await page.getByLabel("Theme").selectOption("dark");
    expect(await page.evaluate(() => [document.documentElement.dataset.kwTheme, localStorage.getItem("keyward.console.theme")])).toEqual(["dark", "dark"]);
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.kwTheme)).toBe("dark");
    await screenshot("dark-sign-in-forced");
    expect(await axeViolations()).toEqual([]);
    await page.getByLabel("Theme").selectOption("system");
    expect(await page.evaluate(() => [document.documentElement.dataset.kwTheme ?? null, localStorage.length])).toEqual([null, 0]);
    expect(pageErrors).toEqual([]);
  });

  it("shows a value missing in production in the matrix, promotes it there through a change request another admin approves, and the environment picker switches what Secrets shows", async () => {
    const devValue = "dev-only-" + randomBytes(12).toString("hex");
    const adminCall = (method: string, path: string, body?: unknown) =>
      fetch(`${service.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${service.bootstrapToken}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    expect((await adminCall("POST", "/api/secrets?environment=development", { name: "PROMOTE_ME", description: "Set in development only", rotationDays: 90, value: devValue })).status).toBe(201);

    await page.goto(`${service.adminUrl}/admin/matrix`);
    await page.getByLabel("Admin token").fill(service.bootstrapToken!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Secrets matrix" }).waitFor();
    const cell = (env: string) => page.locator(`tr[data-name="PROMOTE_ME"] td[data-cell="${env}"]`);
    await cell("production").waitFor();
    expect(await cell("development").getAttribute("data-state")).toBe("set");
    expect(await cell("production").getAttribute("data-state")).toBe("missing");
    expect(await cell("production").textContent()).toContain("missing");
    // The q filter narrows the rows on the server.
    await page.getByLabel("Search secrets").fill("promote_me");
    await page.locator(`tr[data-name="${SECRET}"]`).waitFor({ state: "detached" });
    await screenshot("matrix-missing-in-production");

    await page.getByRole("button", { name: "Promote PROMOTE_ME" }).click();
    await page.locator('[data-promote="from"]').selectOption("development");
    await page.locator('[data-promote="to"]').selectOption("production");
    await page.locator('[data-action="confirm-promote"]').getByRole("button", { name: "Promote" }).click();
    await page.getByRole("dialog").waitFor();
    await screenshot("matrix-promote-dialog");
    expect(await axeViolations()).toEqual([]);
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    // Production is protected: the promotion is held as a change request until another person approves it.
    await page.getByText("production is protected: promoting PROMOTE_ME waits for another admin's approval").waitFor();
    await screenshot("matrix-promote-held");
    expect(await cell("production").getAttribute("data-state")).toBe("missing");
    const held = (await (await adminCall("GET", "/api/change-requests?environment=production&status=pending")).json()) as { items: { id: string }[] };
    expect(held.items).toHaveLength(1);
    expect((await adminCall("POST", `/api/change-requests/${held.items[0]!.id}/approve`)).status).toBe(403);
    const second = (await (await adminCall("POST", "/api/admin-keys", { name: "second approver", role: "admin", owner: "ops-2" })).json()) as { token: string };
    const approved = await fetch(`${service.adminUrl}/api/change-requests/${held.items[0]!.id}/approve`, { method: "POST", headers: { authorization: `Bearer ${second.token}`, "content-type": "application/json" } });
    expect(approved.status).toBe(200);
    // Approved by a second person: the promotion applied, and the matrix shows it once reloaded.
    await goTo("Overview");
    await goTo("Secrets matrix");
    await page.locator('tr[data-name="PROMOTE_ME"] td[data-cell="production"][data-state="set"]').waitFor();
    await screenshot("matrix-promoted");
    expect(await page.content()).not.toContain(devValue);
    for (const b of await Promise.all(responses)) expect(b.body, b.url).not.toContain(devValue);

    // The picker: Secrets in staging does not list PROMOTE_ME; in production it does, with a protected badge in the head.
    await goTo("Secrets");
    await page.getByLabel("Environment").selectOption("staging");
    await page.locator("[data-acting-in]").getByText("staging").waitFor();
    await settled();
    await page.getByText("No secrets match.").or(page.locator("tbody tr").first()).waitFor();
    expect(await page.locator('tr[data-name="PROMOTE_ME"]').count()).toBe(0);
    await page.getByLabel("Environment").selectOption("production");
    await page.locator('tr[data-name="PROMOTE_ME"]').waitFor();
    expect(await page.locator("[data-acting-in]").textContent()).toContain("protected");
    expect(await page.evaluate(() => localStorage.getItem("keyward.console.environment"))).toBe("production");
    await screenshot("secrets-in-production");
    expect(await axeViolations()).toEqual([]);
    expect(await navLink("Environments").count()).toBe(1);

    // A viewer is not offered the Environments page (owners and admins manage environments).
    const created = await adminCall("POST", "/api/admin-keys", { name: "read only", role: "viewer" });
    expect(created.status).toBe(201);
    const viewerKey = ((await created.json()) as { token: string }).token;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token").fill(viewerKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as read only (viewer)").waitFor();
    expect(await navLink("Secrets matrix").count()).toBe(1);
    expect(await navLink("Environments").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("holds a production change made with one person's key on the Change requests page until another person's key approves it there; a viewer sees environments read-only", async () => {
    const heldValue = "cr-e2e-" + randomBytes(12).toString("hex");
    const adminCall = (method: string, path: string, body?: unknown, token = service.bootstrapToken!) =>
      fetch(`${service.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const keyFor = async (name: string, owner: string) => ((await (await adminCall("POST", "/api/admin-keys", { name, role: "admin", owner })).json()) as { token: string }).token;
    const alice = await keyFor("alice", "alice");
    const bob = await keyFor("bob", "bob");
    // Alice sets a value in protected production: it is held (202), not applied.
    expect((await adminCall("POST", "/api/secrets?environment=production", { name: "CR_E2E", description: "Held for a second person" })).status).toBe(201);
    const held = await adminCall("PUT", "/api/secrets/CR_E2E/value?environment=production", { value: heldValue }, alice);
    expect(held.status).toBe(202);
    const request = (await held.json()) as { id: string };
    const row = () => page.locator(`tr[data-id="${request.id}"]`);
    const signInAs = async (token: string, name: string) => {
      if (await page.getByRole("button", { name: "Sign out" }).count()) await page.getByRole("button", { name: "Sign out" }).click();
      await page.goto(`${service.adminUrl}/admin/change-requests?environment=production`);
      await page.getByLabel("Admin token").fill(token);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText(`Signed in as ${name} (admin)`).waitFor();
      await page.getByRole("heading", { level: 1, name: "Change requests" }).waitFor();
    };

    // Alice sees her own request pending, waiting for another person, with no Approve.
    await signInAs(alice, "alice");
    await row().waitFor();
    expect(await page.locator("[data-acting-in]").textContent()).toContain("production");
    expect(await navLink("Change requests").textContent()).toContain("1 waiting");
    expect(await row().locator(".kw-badge").textContent()).toBe("pending");
    expect(await row().locator("th").textContent()).toBe("set value");
    expect(await row().locator("[data-approvals]").textContent()).toContain("0 / 1");
    expect(await row().locator("[data-waiting]").textContent()).toBe("waiting for another person");
    expect(await row().getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await row().locator("[data-expires]").textContent()).toMatch(/^in (23|24) h$/);
    const problems: Record<string, unknown> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await settled();
      await screenshot(`${colorScheme}-change-requests-pending`);
      const violations = await axeViolations();
      if (violations.length) problems[`${colorScheme} change requests`] = violations;
    }

    // Bob approves it there: through the dialog, then the toast, and the row's badge reads applied.
    await page.emulateMedia({ colorScheme: "light" });
    await signInAs(bob, "bob");
    await row().getByRole("button", { name: "Approve" }).click();
    await page.getByRole("dialog").waitFor();
    expect(await page.getByRole("dialog").textContent()).toContain("Approve “set value” of CR_E2E in production?");
    await screenshot("light-change-request-approve-dialog");
    const dialogViolations = await axeViolations();
    if (dialogViolations.length) problems["approve dialog"] = dialogViolations;
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
    await page.getByText("Applied “set value” of CR_E2E.").waitFor();
    await row().waitFor({ state: "detached" });
    await page.getByLabel("Status").selectOption("");
    await row().locator('.kw-badge[data-status="applied"]').waitFor();
    expect(await row().locator(".kw-badge").textContent()).toBe("applied");
    expect(await row().locator("[data-approvals]").textContent()).toContain("1 / 1");
    expect(await navLink("Change requests").textContent()).not.toContain("waiting");
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await screenshot(`${colorScheme}-change-requests-applied`);
      const violations = await axeViolations();
      if (violations.length) problems[`${colorScheme} change requests applied`] = violations;
    }
    await page.emulateMedia({ colorScheme: "light" });
    expect(problems).toEqual({});
    const applied = (await (await adminCall("GET", `/api/change-requests/${request.id}`)).json()) as { status: string; holdsValue: boolean };
    expect(applied).toMatchObject({ status: "applied", holdsValue: false });
    expect(await page.content()).not.toContain(heldValue);
    for (const b of await Promise.all(responses)) expect(b.body, b.url).not.toContain(heldValue);

    // A viewer opening /admin/environments by its URL gets the list read-only, not a broken page.
    const viewerKey = ((await (await adminCall("POST", "/api/admin-keys", { name: "looker", role: "viewer" })).json()) as { token: string }).token;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto(`${service.adminUrl}/admin/environments`);
    await page.getByLabel("Admin token").fill(viewerKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("[data-read-only]").waitFor();
    expect(await page.locator("[data-read-only]").textContent()).toContain("needs the owner or admin role; you are signed in as viewer");
    await page.locator('tr[data-environment="production"] [data-status="protected"]').waitFor();
    expect(await page.getByRole("button", { name: /^(Create|Rename|Protect|Unprotect|Delete|Make default)/ }).count()).toBe(0);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    await screenshot("viewer-environments-read-only");
    expect(await axeViolations()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
  it("adds a webhook channel on the Notifications page, sends a test there and sees it delivered in the history; the signing secret never comes back", async () => {
    // The viewer signed in by the last case gets no Notifications link (owners and admins only).
    expect(await navLink("Notifications").count()).toBe(0);
    const signingSecret = "whsec_e2e_" + randomBytes(12).toString("hex");
    const received: { signature: string | undefined; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ signature: req.headers["keyward-signature"] as string | undefined, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.goto(`${service.adminUrl}/admin/notifications`);
      await page.getByLabel("Admin token").fill(service.bootstrapToken!);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
      await settled();
      expect(await navLink("Notifications").getAttribute("aria-current")).toBe("page");
      await page.getByText("No channels yet.").waitFor();

      // The form: the signing secret is a password input, emptied once the channel is added.
      await page.getByLabel("Name", { exact: true }).fill("ops-hook");
      await page.getByLabel("Webhook URL").fill(hookUrl);
      const secretInput = page.getByLabel("Signing secret");
      expect(await secretInput.getAttribute("type")).toBe("password");
      await secretInput.fill(signingSecret);
      await page.getByRole("button", { name: "Add channel" }).click();
      await page.getByText("Channel ops-hook added.").waitFor();
      const row = page.locator('tr[data-channel="ops-hook"]');
      await row.waitFor();
      expect(await secretInput.inputValue()).toBe("");
      expect(await row.locator(".kw-badge").textContent()).toBe("enabled");

      // Send a test from the page: the receiver gets a signed message, the toast and the history say delivered.
      await row.getByRole("button", { name: "Send a test" }).click();
      await page.getByText("Test message to ops-hook: delivered.").waitFor();
      expect(received).toHaveLength(1);
      expect(received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const delivered = page.locator('.kw-deliveries tr[data-status="delivered"]');
      await delivered.waitFor();
      expect(new URL(page.url()).searchParams.get("channel")).toBe("ops-hook");
      expect(await delivered.locator(".kw-badge").textContent()).toBe("delivered");
      expect(await delivered.locator("[data-status-code]").textContent()).toBe("200");

      // A notification link (?channel=) opens that channel's history directly.
      await page.goto(`${service.adminUrl}/admin/notifications?channel=ops-hook`);
      await page.getByLabel("Admin token").fill(service.bootstrapToken!);
      await page.getByRole("button", { name: "Sign in" }).click();
      await delivered.waitFor();

      const problems: Record<string, unknown> = {};
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await settled();
        await screenshot(`${colorScheme}-notifications`);
        const violations = await axeViolations();
        if (violations.length) problems[`${colorScheme} notifications`] = violations;
      }
      await page.emulateMedia({ colorScheme: "light" });
      expect(problems).toEqual({});
      expect(await page.content()).not.toContain(signingSecret);
      for (const b of await Promise.all(responses)) expect(b.body, b.url).not.toContain(signingSecret);
      expect(pageErrors).toEqual([]);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
