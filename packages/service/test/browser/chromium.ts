import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Debian's chromium, installed with apt-get when it is missing (as .ci/run does). Returns why it is
 * unavailable, or null when it is there. Playwright's own browser downloads are never used.
 */
export function ensureChromium(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  try {
    execSync("command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "ignore", timeout: 300_000 });
  } catch (error) {
    return `${CHROMIUM} is missing and apt-get could not install it (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing after apt-get install chromium`;
}

/** Headless Chromium with a fresh profile directory, removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
