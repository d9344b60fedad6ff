import fs from "node:fs";
import path from "node:path";
import { spawn as spawnPty } from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeVault, type FakeVault } from "../../secrets/test/fixtures/vault-server.js";
import { CLI_BIN, cliEnv, tmpDir, useService } from "./harness.js";

// The wizard through a real pseudo-terminal: keystrokes in, the screen out (run the build first).
const sut = useService();
let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(async () => {
  await vault?.close();
});
const strip = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

function startWizard(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const term = spawnPty(process.execPath, [CLI_BIN, ...args], { cols: 120, rows: 40, cwd, env: env as Record<string, string> });
  let screen = "";
  term.onData((d) => (screen += d));
  const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    screen: () => strip(screen),
    write: (keys: string) => term.write(keys),
    exit,
    /** Waits until the screen (after `from` characters) matches, then answers with `keys`. */
    async answer(pattern: RegExp, keys: string, from = 0) {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(strip(screen).slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${strip(screen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const at = strip(screen).length;
      term.write(keys);
      return at;
    },
  };
}

describe("keyward onboard (interactive)", () => {
  it("asks for each answer, re-asks a bad one, picks a type with the arrow keys, and ends with the report", async () => {
    const app = tmpDir("kw-wizard-app-");
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "@acme/orders-api", version: "1.0.0" }));
    const w = startWizard(["onboard", "--dir", app, "--service-url", sut.grpcAddress], cliEnv(), app);
    let at = await w.answer(/App directory \(with its package\.json\) \[.*\] $/, "\r");
    at = await w.answer(/Service name the app registers as \[orders-api\] $/, "\r", at);
    at = await w.answer(/no secrets\.schema\.json yet[\s\S]*Add a secret\? \[Y\/n\] $/, "y", at);
    at = await w.answer(/Secret name $/, "stripe\r", at);
    at = await w.answer(/✗ use upper snake case, e\.g\. STRIPE_API_KEY\s+\? Secret name $/, "ORDERS_DB_URL\r", at);
    at = await w.answer(/What is ORDERS_DB_URL for\? $/, "Orders database\r", at);
    at = await w.answer(/Type \(↑\/↓, Enter\)[\s\S]*❯ api-key/, "\u001b[B\u001b[B", at);
    at = await w.answer(/❯ database-url/, "\r", at);
    at = await w.answer(/→ database-url[\s\S]*Does the app need it to start\? \[Y\/n\] $/, "\r", at);
    at = await w.answer(/Add another secret\? \[y\/N\] $/, "n", at);
    at = await w.answer(/Wire the typed client .*\? \[Y\/n\] $/, "n", at);
    at = await w.answer(/Where do the app's values come from\? \(↑\/↓, Enter\)[\s\S]*❯ Keyward/, "\r", at);
    at = await w.answer(new RegExp(`Keyward gRPC address \\[${sut.grpcAddress.replace(/\./g, "\\.")}\\] $`), "\r", at);
    await w.answer(/Environment \[development\] $/, "\r", at);
    expect(await w.exit).toBe(0);
    const screen = w.screen();
    expect(screen).toMatch(/✓ schema: added ORDERS_DB_URL/);
    expect(screen).toMatch(/ORDERS_DB_URL: waits for the token's approval/);
    expect(screen).toMatch(/Next: an admin approves the token of orders-api: keyward approvals/);
    const schema = JSON.parse(fs.readFileSync(path.join(app, "secrets.schema.json"), "utf8"));
    expect(schema.properties.ORDERS_DB_URL).toEqual({ type: "string", description: "Orders database", "x-keyward": { type: "database-url" } });
    expect(screen).not.toContain(fs.readFileSync(path.join(app, ".keyward/service-token"), "utf8").trim());
  });

  it("offers the providers: choosing vault asks for its address, not for a gRPC address, and checks Vault's health", async () => {
    const app = tmpDir("kw-wizard-vault-");
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "@acme/vault-app", version: "1.0.0" }));
    const w = startWizard(["onboard", "--dir", app], cliEnv({ VAULT_TOKEN: vault.rootToken }), app);
    let at = await w.answer(/App directory \(with its package\.json\) \[.*\] $/, "\r");
    at = await w.answer(/Service name the app registers as \[vault-app\] $/, "\r", at);
    at = await w.answer(/Add a secret\? \[Y\/n\] $/, "n", at);
    at = await w.answer(/Wire the typed client .*\? \[Y\/n\] $/, "n", at);
    at = await w.answer(/Where do the app's values come from\?[\s\S]*❯ Keyward[\s\S]*Infisical/, "\u001b[B\u001b[B", at);
    at = await w.answer(/❯ HashiCorp Vault/, "\r", at);
    at = await w.answer(/Vault address \[https:\/\/127\.0\.0\.1:8200\] $/, "vault.local\r", at);
    at = await w.answer(/✗ use a URL such as https:\/\/vault\.example\.com:8200\s+\? Vault address/, `${vault.address}\r`, at);
    await w.answer(/Environment \[development\] $/, "\r", at);
    expect(await w.exit).toBe(0);
    const screen = w.screen();
    expect(screen).not.toMatch(/Keyward gRPC address/);
    expect(screen).toMatch(/✓ vault health: healthy/);
    expect(screen).not.toMatch(/token: created/);
    expect(screen).not.toContain(vault.rootToken);
    expect(fs.existsSync(path.join(app, ".keyward"))).toBe(false);
  });

  it("Ctrl-C stops the wizard before anything is written", async () => {
    const app = tmpDir("kw-wizard-abort-");
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "aborted-app" }));
    const w = startWizard(["onboard", "--dir", app], cliEnv(), app);
    const at = await w.answer(/App directory/, "\r");
    await w.answer(/Service name/, "\u0003", at);
    expect(await w.exit).toBe(1);
    expect(w.screen()).toMatch(/error: aborted; nothing more was written/);
    expect(fs.readdirSync(app)).toEqual(["package.json"]);
  });
});
