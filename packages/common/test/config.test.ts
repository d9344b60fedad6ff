import { describe, expect, it } from "vitest";
import { loadServiceConfig, secretNameProblem } from "../src/index.js";

describe("service config", () => {
  it("runs embedded with no configuration", () => {
    const c = loadServiceConfig({}, "/srv/app");
    expect(c).toMatchObject({ dataDir: "/srv/app/data", databaseUrl: undefined, grpcPort: 50051, httpPort: 8080, host: "127.0.0.1" });
  });

  it("names each bad setting", () => {
    expect(() => loadServiceConfig({ KEYWARD_GRPC_PORT: "70000" })).toThrow(/KEYWARD_GRPC_PORT must be a port/);
    expect(() => loadServiceConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => loadServiceConfig({ KEYWARD_LOG_LEVEL: "loud" })).toThrow(/KEYWARD_LOG_LEVEL/);
  });

  it("checks secret names", () => {
    expect(secretNameProblem("STRIPE_API_KEY")).toBeUndefined();
    expect(secretNameProblem("")).toMatch(/empty/);
    expect(secretNameProblem("x".repeat(200))).toMatch(/limit is 128/);
    expect(secretNameProblem("drop table;")).toMatch(/upper snake case/);
  });
});
