import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { adminKey, loggedIn } from "./support.js";

const sut = useService();

describe("keyward signing-keys", () => {
  it("creates, lists and rotates keys; an Ed25519 key shows its public key, never material", async () => {
    const env = loggedIn(sut);
    const created = await runCli(["signing-keys", "create", "ISSUANCE", "--algorithm", "ed25519", "--description", "service accounts"], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created ISSUANCE \(ed25519\) in development: version 1, public key [A-Za-z0-9+/]{43}=\n$/);
    expect((await runCli(["signing-keys", "create", "HOOKS", "--algorithm", "hmac-sha256"], env)).stdout).toBe("created HOOKS (hmac-sha256) in development: version 1\n");

    const rotated = await runCli(["signing-keys", "rotate", "HOOKS"], env);
    expect(rotated.stdout).toBe("rotated HOOKS in development: version 2 signs now; versions from 1 still verify\n");

    const list = await runCli(["signing-keys", "list"], env);
    expect(list.stdout).toMatch(/^NAME\s+ALGORITHM\s+STATUS\s+VERSION\s+VERIFIES_FROM\s+ENVIRONMENT\s+PUBLIC_KEY$/m);
    expect(list.stdout).toMatch(/^HOOKS\s+hmac-sha256\s+active\s+2\s+1\s+development\s+-$/m);
    expect(list.stdout).toMatch(/^ISSUANCE\s+ed25519\s+active\s+1\s+1\s+development\s+[A-Za-z0-9+/]{43}=$/m);
    const json = JSON.parse((await runCli(["signing-keys", "list", "--json"], env)).stdout) as { name: string; versions: unknown[] }[];
    expect(json.map((k) => [k.name, k.versions.length])).toEqual([["HOOKS", 2], ["ISSUANCE", 1]]);
    expect((await runCli(["signing-keys", "list", "--environment", "staging"], env)).stdout).toMatch(/no signing keys/);
  });

  it("refuses a taken name, an unknown key, a protected environment, a viewer, and usage mistakes", async () => {
    const env = loggedIn(sut);
    await runCli(["secrets", "create", "PLAIN"], env);
    const taken = await runCli(["signing-keys", "create", "PLAIN", "--algorithm", "hmac-sha256"], env);
    expect(taken.code).toBe(EXIT.failed);
    expect(taken.stderr).toMatch(/PLAIN is already a secret in development; signing keys and secrets share one name space/);
    const unknown = await runCli(["signing-keys", "rotate", "NOPE"], env);
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.stderr).toMatch(/no signing key named NOPE in development/);
    const prod = await runCli(["signing-keys", "create", "PROD_KEY", "--algorithm", "ed25519", "--environment", "production"], env);
    expect(prod.code).toBe(EXIT.failed);
    expect(prod.stderr).toMatch(/not yet supported in protected environments/);
    const viewer = await runCli(["signing-keys", "create", "VIEWED", "--algorithm", "ed25519"], loggedIn(sut, {}, await adminKey(sut, "viewer")));
    expect(viewer.code).toBe(EXIT.auth);

    const noAlgorithm = await runCli(["signing-keys", "create", "X"], env);
    expect([noAlgorithm.code, noAlgorithm.stderr]).toEqual([EXIT.usage, expect.stringMatching(/needs --algorithm hmac-sha256 or ed25519/)]);
    expect((await runCli(["signing-keys", "create", "X", "--algorithm", "rsa"], env)).stderr).toMatch(/--algorithm must be hmac-sha256 or ed25519, got "rsa"/);
    expect((await runCli(["signing-keys", "rotate"], env)).stderr).toMatch(/signing-keys rotate takes one key NAME, got 0/);
    expect((await runCli(["signing-keys", "sign"], env)).stderr).toMatch(/unknown signing-keys command "sign"; use one of list, create, rotate/);
  });
});
