import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { connectDatabase } from "@keyward/db";
import { startSecretsService } from "../src/index.js";
import { baseEnv, freshPostgresUrl, tmpDir } from "./helpers.js";

// Issue #17: startSecretsService({ secretTypes }) registers custom types; the admin API checks values
// of such a type with its validate, and a name taken by a built-in type is refused at start.
describe("startSecretsService({ secretTypes })", () => {
  const acme = {
    name: "acme-token",
    describe: "An Acme token: acme_ and 24 letters or digits",
    validate: (v: string) => (/^acme_[A-Za-z0-9]{24}$/.test(v) ? { ok: true as const, metadata: { region: "eu" } } : { ok: false as const, problem: "must be acme_ and 24 letters or digits" }),
  };

  it("checks a value of a custom type with its validator, and stores its metadata", async () => {
    const databaseUrl = await freshPostgresUrl();
    const env = { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), DATABASE_URL: databaseUrl, KEYWARD_DATA_DIR: tmpDir("kw-types-") };
    const service = await startSecretsService({ env, grpcPort: 0, httpPort: 0, logLevel: "silent", secretTypes: [acme] });
    const call = (method: string, p: string, body?: unknown) =>
      fetch(service.adminUrl + p, { method, headers: { authorization: `Bearer ${service.bootstrapToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const bad = `acme_${randomBytes(4).toString("hex")}`;
    try {
      expect((await call("POST", "/api/secrets", { name: "ACME_TOKEN" })).status).toBe(201);
      // The admin API's type enum names the built-in types; a custom one is set on the definition.
      const database = await connectDatabase({ databaseUrl, dataDir: env.KEYWARD_DATA_DIR });
      try {
        await database.db.updateTable("secret_definitions").set({ type: "acme-token" }).where("name", "=", "ACME_TOKEN").execute();
      } finally {
        await database.close();
      }
      const refused = await call("PUT", "/api/secrets/ACME_TOKEN/value", { value: bad });
      const text = await refused.text();
      expect(refused.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ code: "invalid_value", detail: "type acme-token: must be acme_ and 24 letters or digits" });
      expect(text).not.toContain(bad);
      expect((await call("PUT", "/api/secrets/ACME_TOKEN/value", { value: `acme_${"a1".repeat(12)}` })).status).toBe(200);
      expect(await (await call("GET", "/api/secrets/ACME_TOKEN")).json()).toMatchObject({ currentVersion: 1, metadata: { region: "eu" } });
    } finally {
      await service.close();
    }
  });

  it("refuses a custom type that takes a built-in name, before it serves anything", async () => {
    const env = { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), DATABASE_URL: await freshPostgresUrl(), KEYWARD_DATA_DIR: tmpDir("kw-types-") };
    await expect(startSecretsService({ env, grpcPort: 0, httpPort: 0, logLevel: "silent", secretTypes: [{ ...acme, name: "api-key" }] })).rejects.toThrow("registerSecretType: api-key is already a secret type");
  });
});
