// Test setup through public interfaces only: the typed admin client for the admin's side, and the
// real gRPC secrets client for a service's side (registering tokens, asking for secrets).
import { createAdminClient, unwrap, type AdminClient } from "@keyward/admin-client";
import { createSecretsClient, createServiceToken } from "@keyward/secrets";
import { expect } from "vitest";
import { cliEnv, type CliResult, type ServiceUnderTest } from "./harness.js";

/** The typed admin client as the bootstrap owner (or as `token`). */
export const adminOf = (sut: Pick<ServiceUnderTest, "adminUrl" | "token">, token = sut.token): AdminClient => createAdminClient({ baseUrl: sut.adminUrl, getToken: () => token });

/** A CLI environment logged in through the KEYWARD_URL / KEYWARD_ADMIN_TOKEN overrides. */
export const loggedIn = (sut: Pick<ServiceUnderTest, "adminUrl" | "token">, extra: NodeJS.ProcessEnv = {}, token = sut.token): NodeJS.ProcessEnv => cliEnv({ KEYWARD_URL: sut.adminUrl, KEYWARD_ADMIN_TOKEN: token, ...extra });

/** A new admin key with `role` (created by the owner over POST /api/admin-keys). */
export async function adminKey(sut: ServiceUnderTest, role: "viewer" | "operator" | "auditor" | "admin", name = `${role}-${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const created = await unwrap(adminOf(sut).POST("/api/admin-keys", { body: { name, role } }));
  return created.token;
}

/** A service that registered a token over gRPC (pending until approved). */
export interface TestService {
  token: string;
  /** Asks for the named secrets over gRPC; with an approved token that records stubs and access requests. */
  ask(names: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Registers a service token over gRPC as a real client does; the secrets are what its schema declares. */
export async function registerService(sut: ServiceUnderTest, name: string, options: { version?: string; environment?: string; secrets?: Record<string, string> } = {}): Promise<TestService> {
  const token = createServiceToken();
  const properties = Object.fromEntries(Object.entries(options.secrets ?? { PLACEHOLDER_SECRET: "unused" }).map(([k, description]) => [k, { description }]));
  const client = createSecretsClient(
    { properties },
    { url: sut.grpcAddress, token, serviceName: name, serviceVersion: options.version ?? "1.0.0", env: {}, retry: { maxAttempts: 1 }, cache: false, ...(options.environment ? { environment: options.environment } : {}) },
  );
  expect(await client.register()).toBe("pending");
  return {
    token,
    ask: async (names) => {
      await client.getSecrets(names as never).catch(() => undefined);
    },
    close: () => client.close(),
  };
}

/** The token's record, found by service name (the admin API never shows the token itself). */
export async function tokenOf(sut: ServiceUnderTest, service: string, environment = "development") {
  const { items } = await unwrap(adminOf(sut).GET("/api/service-tokens", { params: { query: { environment, service } } }));
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

/** Fails when any of `values` appears in the command's output. */
export function expectNoLeak(result: CliResult, ...values: string[]): void {
  for (const value of values) {
    expect(result.stdout).not.toContain(value);
    expect(result.stderr).not.toContain(value);
  }
}
