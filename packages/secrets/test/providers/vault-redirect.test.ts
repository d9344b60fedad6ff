// The Vault provider never follows a redirect (a 307 to another origin would re-send the Vault
// token, and an AppRole login's secret_id, to that origin), and refuses plain http off loopback.
// Real HTTP servers on loopback: A answers every request with a redirect to B, B records what reaches it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, SecretsConfigError } from "../../src/index.js";
import { readVaultTree, vault, ProviderError, type VaultOptions } from "../../src/providers/vault/index.js";
import { errorOf } from "../support/errors.js";

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const TOKEN = "hvs.CLIENT-TOKEN-must-not-travel";
const SECRET_ID = "secret-id-must-not-travel-4242";

let target: http.Server;
let redirector: http.Server;
let redirectStatus = 307;
const reachedTarget: Received[] = [];
let targetOrigin = "";
let address = "";

const listen = async (server: http.Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  target = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      reachedTarget.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { data: { value: "from-the-wrong-server" }, metadata: { version: 1 } }, auth: { client_token: "hvs.x", lease_duration: 3600, renewable: true } }));
    });
  });
  // "localhost" rather than 127.0.0.1: another origin, as a redirect to an attacker's host would be.
  targetOrigin = `http://localhost:${await listen(target)}`;
  redirector = http.createServer((req, res) => {
    req.resume();
    res.statusCode = redirectStatus;
    res.setHeader("location", `${targetOrigin}${req.url}?from=redirect`);
    res.end();
  });
  address = `http://127.0.0.1:${await listen(redirector)}`;
});
afterAll(async () => {
  await Promise.all([target, redirector].map((s) => new Promise((resolve) => s?.close(resolve))));
});

const schema = { properties: { API_KEY: { description: "API key" } } } as const;
const clientOf = (auth: VaultOptions["auth"]) =>
  createSecretsClient(schema, {
    provider: vault({ address, auth }),
    sleep: async () => undefined,
    retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
    cache: false,
  });

const expectNothingLeaked = (message: string) => {
  expect(reachedTarget).toEqual([]);
  expect(message).not.toContain(TOKEN);
  expect(message).not.toContain(SECRET_ID);
  expect(message).not.toContain("?from=redirect");
};

describe("vault redirects", () => {
  it("a 307 on a read is an invalid_config error naming the status; the token never reaches the target", async () => {
    redirectStatus = 307;
    const client = clientOf({ method: "token", token: TOKEN });
    const error = await errorOf(client.getSecret("API_KEY"));
    expect(error.reason).toBe("invalid_config");
    expect(error.message).toContain(`Vault at ${address} answered HTTP 307 to ${targetOrigin}`);
    expect(error.message).toContain("redirects are refused");
    expectNothingLeaked(error.message);
    await client.close();
  });

  it("an AppRole login that is redirected never sends the secret_id to the target", async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      redirectStatus = status;
      const client = clientOf({ method: "approle", roleId: "role-1", secretId: SECRET_ID });
      const error = await errorOf(client.getSecret("API_KEY"));
      expect(error.reason).toBe("invalid_config");
      expect(error.message).toContain(`answered HTTP ${status}`);
      expect(error.message).toContain("redirects are refused");
      expectNothingLeaked(error.message);
      await client.close();
    }
  });

  it("readVaultTree (keyward import --from vault) refuses the redirect with a ProviderError", async () => {
    redirectStatus = 307;
    const error = await readVaultTree({ address, auth: { method: "token", token: TOKEN } }, "app", { signal: AbortSignal.timeout(5000) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).reason).toBe("invalid_config");
    expect((error as ProviderError).message).toContain("answered HTTP 307");
    expectNothingLeaked((error as ProviderError).message);
  });
});

describe("vault address: https unless on loopback", () => {
  const configError = (addr: string): SecretsConfigError | undefined => {
    try {
      vault({ address: addr, auth: { method: "token", token: TOKEN } });
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(SecretsConfigError);
      return error as SecretsConfigError;
    }
  };

  it("refuses http:// to a host off the machine, never echoing the token", () => {
    for (const addr of ["http://vault.example.com:8200", "http://10.0.0.5:8200", "http://128.0.0.1", "http://localhost.example.com"]) {
      const error = configError(addr);
      expect(error?.message).toContain("vault.address must use https");
      expect(error?.message).not.toContain(TOKEN);
    }
  });

  it("accepts https anywhere and http on loopback", () => {
    for (const addr of ["https://vault.example.com:8200", "http://127.0.0.1:8200", "http://127.1.2.3", "http://localhost:8200", "http://vault.localhost", "http://[::1]:8200"]) {
      expect(configError(addr)).toBeUndefined();
    }
  });
});
