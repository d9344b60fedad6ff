// Issue #13: the client states its environment (`environment`, else KEYWARD_ENVIRONMENT), the token
// is bound to it at registration, and the same schema reads that environment's values. A real
// Keyward gRPC server over PGlite.
import { randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { hashToken } from "@keyward/common";
import { getServiceTokenByHash } from "@keyward/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsConfigError } from "../../src/index.js";
import { errorOf } from "../support/errors.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";

const schema = { properties: { API_KEY: { description: "The API key" } } } as const;
const SERVICE = "env-app";
const DEV = "dev_" + randomBytes(8).toString("hex");
const PROD = "prod_" + randomBytes(8).toString("hex");

let server: KeywardTestServer;
beforeAll(async () => {
  server = await startKeywardServer();
  await server.setValue("API_KEY", DEV, "development");
  await server.setValue("API_KEY", PROD, "production");
  await server.setAccess("API_KEY", SERVICE, "grant", "development");
  await server.setAccess("API_KEY", SERVICE, "grant", "production");
});
afterAll(async () => server?.close());

/** A client of `SERVICE` with its own new token, approved by an admin. */
async function approvedClient(options: { environment?: string; defaultEnvironment?: string; env?: NodeJS.ProcessEnv }) {
  const token = createServiceToken();
  const client = createSecretsClient(schema, {
    url: server.address,
    token,
    serviceName: SERVICE,
    env: options.env ?? {},
    retry: { maxAttempts: 1 },
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.defaultEnvironment ? { defaultEnvironment: options.defaultEnvironment } : {}),
  });
  expect(await client.register()).toBe("pending");
  await server.approveToken(token);
  return { client, token };
}

describe("environments in the client", () => {
  it("reads the value of the environment it states: the option, KEYWARD_ENVIRONMENT, or the default", async () => {
    const prod = await approvedClient({ environment: "production" });
    const fromEnv = await approvedClient({ env: { KEYWARD_ENVIRONMENT: "production" } });
    const unnamed = await approvedClient({});
    try {
      expect(await prod.client.getSecret("API_KEY")).toBe(PROD);
      expect(await fromEnv.client.getSecret("API_KEY")).toBe(PROD);
      // The instance's default environment (development on a fresh instance).
      expect(await unnamed.client.getSecret("API_KEY")).toBe(DEV);
      const bound = await getServiceTokenByHash(server.kdb.db, hashToken(prod.token));
      expect(bound?.environment).toBe("production");
    } finally {
      await Promise.all([prod.client.close(), fromEnv.client.close(), unnamed.client.close()]);
    }
  });

  it("uses defaultEnvironment (the generated client's configured default) only when neither the option nor KEYWARD_ENVIRONMENT names one", async () => {
    const configured = await approvedClient({ defaultEnvironment: "production" });
    const variableWins = await approvedClient({ defaultEnvironment: "production", env: { KEYWARD_ENVIRONMENT: "development" } });
    const optionWins = await approvedClient({ defaultEnvironment: "production", environment: "development", env: { KEYWARD_ENVIRONMENT: "production" } });
    try {
      expect(await configured.client.getSecret("API_KEY")).toBe(PROD);
      expect(await variableWins.client.getSecret("API_KEY")).toBe(DEV);
      expect(await optionWins.client.getSecret("API_KEY")).toBe(DEV);
      expect((await getServiceTokenByHash(server.kdb.db, hashToken(configured.token)))?.environment).toBe("production");
      expect((await getServiceTokenByHash(server.kdb.db, hashToken(variableWins.token)))?.environment).toBe("development");
    } finally {
      await Promise.all([configured.client.close(), variableWins.client.close(), optionWins.client.close()]);
    }
  });

  it("is refused with environment_mismatch when its token is bound to another environment", async () => {
    const { client, token } = await approvedClient({ environment: "development" });
    const moved = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, environment: "production", env: {}, retry: { maxAttempts: 1 } });
    try {
      const error = await errorOf(moved.register());
      expect(error).toMatchObject({ reason: "environment_mismatch", grpcCode: status.FAILED_PRECONDITION });
      expect(error.message).not.toContain(token);
      const unknown = createSecretsClient(schema, { url: server.address, token: createServiceToken(), serviceName: SERVICE, environment: "qa", env: {}, retry: { maxAttempts: 1 } });
      expect(await errorOf(unknown.register())).toMatchObject({ reason: "unknown_environment", grpcCode: status.INVALID_ARGUMENT });
      await unknown.close();
    } finally {
      await Promise.all([client.close(), moved.close()]);
    }
  });

  it("names a bad environment setting before any call", () => {
    const make = (options: { environment?: string; env?: NodeJS.ProcessEnv }) => () =>
      createSecretsClient(schema, { url: server.address, token: createServiceToken(), serviceName: SERVICE, env: options.env ?? {}, ...(options.environment !== undefined ? { environment: options.environment } : {}) });
    expect(make({ environment: "Production" })).toThrow(SecretsConfigError);
    expect(make({ environment: "" })).toThrow(/options\.environment must be an environment name/);
    expect(make({ env: { KEYWARD_ENVIRONMENT: "prod env" } })).toThrow(/KEYWARD_ENVIRONMENT must be an environment name/);
    const badDefault = () => createSecretsClient(schema, { url: server.address, token: createServiceToken(), serviceName: SERVICE, env: {}, defaultEnvironment: "Dev" });
    expect(badDefault).toThrow(/options\.defaultEnvironment must be an environment name/);
  });
});
