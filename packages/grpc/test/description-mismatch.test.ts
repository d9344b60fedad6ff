import { status, type Metadata } from "@grpc/grpc-js";
import type { GetSecretRequest, GetSecretResponse, GetSecretsResponse, SecretRef } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, freshPglite, secretFor, startTestServer, tokenWithStatus, unary, type TestServer } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(await freshPglite());
});
afterAll(async () => t?.close());

const getSecret = (name: string, description: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description }, md);
const getSecrets = (secrets: SecretRef[], md: Metadata) => unary<{ secrets: SecretRef[] }, GetSecretsResponse>(t.client.getSecrets.bind(t.client), { secrets }, md);
const mismatches = (name: string) => t.kdb.db.selectFrom("secret_description_mismatches").selectAll().where("secret_name", "=", name).execute();

describe("description mismatch", () => {
  it("records a differing description for admins, once per wording, and still answers", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "describe-svc", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "DESCRIBED", serviceName: "describe-svc", value: "v", access: "granted" });
    // secretFor stores the description "test".
    expect((await getSecret("DESCRIBED", "test", bearer(token))).res?.value).toBe("v");
    expect((await getSecret("DESCRIBED", "", bearer(token))).res?.value).toBe("v");
    expect(await mismatches("DESCRIBED")).toEqual([]);

    expect((await getSecret("DESCRIBED", "Stripe live key", bearer(token))).res?.value).toBe("v");
    expect((await getSecret("DESCRIBED", "Stripe live key", bearer(token))).res?.value).toBe("v");
    expect(await mismatches("DESCRIBED")).toMatchObject([
      { service_name: "describe-svc", client_description: "Stripe live key", stored_description: "test", seen_count: 1 },
    ]);
    await getSecrets([{ name: "DESCRIBED", description: "Stripe key (rotated monthly)" }], bearer(token));
    expect(await mismatches("DESCRIBED")).toMatchObject([{ client_description: "Stripe key (rotated monthly)", seen_count: 2 }]);

    const audit = await t.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).where("action", "=", "secret.describe").execute();
    expect(audit).toEqual([
      { action: "secret.describe", result: "mismatch", reason: "description_mismatch" },
      { action: "secret.describe", result: "mismatch", reason: "description_mismatch" },
    ]);
  });

  it("is recorded even when the caller has no grant yet, and not for a missing secret (the stub takes the description)", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "describe-pending", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "DESCRIBED_PENDING", serviceName: "describe-pending", value: "v", access: "pending" });
    const refused = await getSecret("DESCRIBED_PENDING", "another wording", bearer(token));
    expect(refused.err?.code).toBe(status.PERMISSION_DENIED);
    expect(await mismatches("DESCRIBED_PENDING")).toMatchObject([{ client_description: "another wording", stored_description: "test" }]);

    await getSecret("DESCRIBED_NEW", "fresh wording", bearer(token));
    expect(await mismatches("DESCRIBED_NEW")).toEqual([]);
    expect(await t.kdb.db.selectFrom("secret_definitions").select("description").where("name", "=", "DESCRIBED_NEW").executeTakeFirst()).toEqual({ description: "fresh wording" });
  });
});
