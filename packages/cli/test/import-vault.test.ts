// keyward import --from vault against the fake Vault (real HTTP, KV v2 shapes) and a real service.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { startFakeVault, type FakeVault } from "../../secrets/test/fixtures/vault-server.js";
import { cliEnv, runCli, useService } from "./harness.js";

const sut = useService();
const value = (tag: string) => `${tag}_${randomBytes(10).toString("hex")}`;
let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(async () => {
  await vault?.close();
});

async function admin(method: string, p: string): Promise<{ status: number; json: any }> {
  const res = await fetch(sut.adminUrl + p, { method, headers: { authorization: `Bearer ${sut.token}` } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const envFor = (extra: NodeJS.ProcessEnv = {}) => cliEnv({ KEYWARD_URL: sut.adminUrl, KEYWARD_ADMIN_TOKEN: sut.token, VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken, ...extra });

describe("keyward import --from vault", () => {
  it("plans (dry run, no values), imports names mapped from paths, and a second run skips what exists", async () => {
    const stripe = value("sk");
    const db = value("pg");
    vault.put("apps/billing/stripe-key", { value: stripe });
    vault.put("apps/billing/db/url", { value: db, user: "billing" });
    const env = envFor();
    const dry = await runCli(["import", "--from", "vault", "--path", "apps/billing", "--environment", "development", "--dry-run"], env);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/DB_URL\s+create/);
    expect(dry.stdout).toMatch(/STRIPE_KEY\s+create/);
    expect(dry.stdout).toContain("dry run (vault-kv, development): 2 create; nothing written");
    for (const text of [dry.stdout, dry.stderr]) for (const secret of [stripe, db, vault.rootToken]) expect(text).not.toContain(secret);
    expect((await admin("GET", "/api/secrets/STRIPE_KEY?environment=development")).status).toBe(404);

    const run = await runCli(["import", "--from", "vault", "--path", "/apps/billing/", "--environment", "development"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("imported into development: 2 written, 0 held for approval, 0 failed, 0 skipped");
    expect((await admin("GET", "/api/secrets/STRIPE_KEY?environment=development")).json).toMatchObject({ status: "active", currentVersion: 1, description: "imported from vault:secret/apps/billing" });
    for (const text of [run.stdout, run.stderr]) for (const secret of [stripe, db, vault.rootToken]) expect(text).not.toContain(secret);

    const again = await runCli(["import", "--from", "vault", "--path", "apps/billing", "--environment", "development", "--json"], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).plan).toEqual([
      { name: "DB_URL", action: "skip-existing" },
      { name: "STRIPE_KEY", action: "skip-existing" },
    ]);
  });

  it("checks every entry first: a missing field or a bad name is named and nothing is written", async () => {
    vault.put("apps/mixed/GOOD_ONE", { value: value("ok") });
    vault.put("apps/mixed/no-value", { password: value("pw") });
    const result = await runCli(["import", "--from", "vault", "--path", "apps/mixed", "--environment", "development"], envFor());
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toContain('no-value: has no field "value" (fields: password); pass --field');
    expect((await admin("GET", "/api/secrets/GOOD_ONE?environment=development")).status).toBe(404);
  });

  it("usage errors and refusals map to exit codes, and never show the token", async () => {
    expect((await runCli(["import", "--from", "vault", "--environment", "development"], envFor())).code).toBe(EXIT.usage);
    expect((await runCli(["import", "--from", "gcp", "--path", "x"], envFor())).stderr).toContain('--from must be one of vault, aws, azure, infisical, got "gcp"');
    expect((await runCli(["import", "--from", "vault", "--path", "x", "--prefix", "y"], envFor())).stderr).toContain("--prefix goes with --from aws, not with --from vault");
    expect((await runCli(["import", "--from", "vault", "--path", "x"], envFor({ VAULT_TOKEN: "", VAULT_ADDR: vault.address }))).stderr).toContain("set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID");
    const badToken = "hvs.wrong-token-for-import-77";
    vault.put("apps/denied/KEY", { value: value("k") });
    const refused = await runCli(["import", "--from", "vault", "--path", "apps/denied", "--environment", "development"], envFor({ VAULT_TOKEN: badToken }));
    expect(refused.code).toBe(EXIT.auth);
    expect(refused.stderr).toContain("cannot read from Vault: Vault denied to list secret/apps/denied (403: permission denied)");
    expect(refused.stderr + refused.stdout).not.toContain(badToken);
    const gone = await startFakeVault();
    await gone.close();
    const down = await runCli(["import", "--from", "vault", "--path", "apps/x", "--environment", "development"], envFor({ VAULT_ADDR: gone.address }));
    expect(down.code).toBe(EXIT.unreachable);
  });
});
