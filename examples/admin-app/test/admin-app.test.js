import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAdminApp } from "../start.mjs";

// The example in Debian's headless Chromium: it builds (turbo runs `build` before `test`), starts
// with Keyward serving it, and its embedded sdk components work and take Acme's theme.
const CHROMIUM = "/usr/bin/chromium";
if (!fs.existsSync(CHROMIUM)) {
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "ignore", timeout: 300_000 });
  } catch {
    /* reported below */
  }
}
const available = fs.existsSync(CHROMIUM);
if (!available) console.warn(`SKIPPED the admin-app browser test: ${CHROMIUM} is missing and apt-get could not install it`);

const dist = path.resolve(import.meta.dirname, "../dist/index.html");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-admin-app-"));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "kw-admin-app-chromium-"));
let service;
let context;

beforeAll(async () => {
  if (!available) return;
  if (!fs.existsSync(dist)) throw new Error("the example is not built; run: pnpm --filter @keyward/example-admin-app build");
  service = await startAdminApp({ env: {}, dataDir, host: "127.0.0.1", grpcPort: 0, httpPort: 0 });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
afterAll(async () => {
  await context?.close();
  await service?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(profile, { recursive: true, force: true });
});

describe.skipIf(!available)("examples/admin-app", () => {
  it("embeds the sdk components in Acme's page, themed by CSS variables, with replaced strings", async () => {
    const page = await context.newPage();
    await page.goto(`${service.adminUrl}/admin/`);
    await page.getByLabel("Keyward admin token").fill(service.bootstrapToken);
    await page.getByRole("button", { name: "Use token" }).click();
    await page.getByText("No service tokens are waiting.").waitFor();
    await page.getByText("No missing secrets").waitFor();

    // Create a secret with the embedded SecretForm; the embedded SecretsTable shows it.
    await page.getByLabel("Name", { exact: true }).fill("ACME_API_KEY");
    await page.getByLabel("Value", { exact: true }).fill("acme-value-123456");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved ACME_API_KEY: version 1.").waitFor();
    await page.locator('tr[data-name="ACME_API_KEY"]').waitFor();
    expect(await page.locator("caption", { hasText: "Acme secrets" }).count()).toBe(1);
    expect(await page.content()).not.toContain("acme-value-123456");

    // The components take Acme's accent; their scoped styles do not reach Acme's own markup.
    const save = await page.getByRole("button", { name: "Save" }).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(save).toBe("rgb(124, 58, 237)");
    const header = await page.locator(".acme-header").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(header).toBe("rgb(76, 29, 149)");
    const acmeTable = await page.evaluate(() => {
      const t = document.body.appendChild(document.createElement("table"));
      const style = getComputedStyle(t).borderCollapse;
      t.remove();
      return style;
    });
    expect(acmeTable).toBe("separate");
    fs.mkdirSync(path.resolve(import.meta.dirname, "../../../test-artifacts"), { recursive: true });
    await page.screenshot({ path: path.resolve(import.meta.dirname, "../../../test-artifacts/admin-app.png"), fullPage: true });
  });
});
