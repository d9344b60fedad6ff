import { status, type Metadata } from "@grpc/grpc-js";
import { SecretType, type GetSecretRequest, type GetSecretResponse, type GetSecretsResponse, type SecretRef } from "@keyward/proto";
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

describe("declared policy (x-keyward type, rotationDays, reminderDays)", () => {
  const policyOf = (name: string) => t.kdb.db.selectFrom("secret_definitions").select(["type", "rotation_days", "reminder_days"]).where("name", "=", name).executeTakeFirst();
  // "test" is the description secretFor stores, so only the policy can differ.
  const withPolicy = (name: string, policy: GetSecretRequest["policy"], md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test", policy }, md);

  it("records a stub with the schema's policy, so a declared 30-day rotation is tracked as 30", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "policy-svc", "approved");
    await withPolicy("POLICY_NEW", { type: SecretType.SECRET_TYPE_API_KEY, rotationDays: 30, reminderDays: 7, rulesJson: "" }, bearer(token));
    expect(await policyOf("POLICY_NEW")).toEqual({ type: "api-key", rotation_days: 30, reminder_days: 7 });
    await getSecrets([{ name: "POLICY_BATCH", description: "b", policy: { type: SecretType.SECRET_TYPE_DATABASE_URL, rotationDays: 45, reminderDays: 0, rulesJson: "" } }], bearer(token));
    expect(await policyOf("POLICY_BATCH")).toEqual({ type: "database-url", rotation_days: 45, reminder_days: 14 });
    // A client from before policies states none: the defaults.
    await getSecret("POLICY_NONE", "old client", bearer(token));
    expect(await policyOf("POLICY_NONE")).toEqual({ type: "generic", rotation_days: 90, reminder_days: 14 });
  });

  it("reports a declared policy that differs from the stored one, once per difference, and refuses out-of-range numbers by name", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "policy-diff", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "POLICY_STORED", serviceName: "policy-diff", value: "v", access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "POLICY_SAME", serviceName: "policy-diff", value: "v", access: "granted" });
    expect((await withPolicy("POLICY_SAME", { type: SecretType.SECRET_TYPE_GENERIC, rotationDays: 90, reminderDays: 14, rulesJson: "" }, bearer(token))).res?.value).toBe("v");
    expect(await t.kdb.db.selectFrom("audit_log").select("reason").where("target", "=", "secret:POLICY_SAME").where("action", "=", "secret.describe").execute()).toEqual([]);
    for (let i = 0; i < 2; i++) expect((await withPolicy("POLICY_STORED", { type: SecretType.SECRET_TYPE_API_KEY, rotationDays: 30, reminderDays: 0, rulesJson: "" }, bearer(token))).res?.value).toBe("v");
    const rows = await t.kdb.db.selectFrom("audit_log").select(["target", "reason"]).where("action", "=", "secret.describe").where("target", "=", "secret:POLICY_STORED").execute();
    expect(rows).toEqual([{ target: "secret:POLICY_STORED", reason: "policy_mismatch: type declared api-key, stored generic; rotationDays declared 30, stored 90" }]);
    const bad = await withPolicy("POLICY_STORED", { type: SecretType.SECRET_TYPE_UNSPECIFIED, rotationDays: 5000, reminderDays: 0, rulesJson: "" }, bearer(token));
    expect(bad.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.err?.details).toContain("policy.rotation_days");
  });

  it("records the schema's declared value rules with the stub, refuses unreadable ones by name, and reports a later difference", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "rules-svc", "approved");
    const rulesOf = async (name: string) => (await t.kdb.db.selectFrom("secret_definitions").select("rules_json").where("name", "=", name).executeTakeFirst())?.rules_json;
    const stripe = { type: SecretType.SECRET_TYPE_STRIPE_KEY, rotationDays: 0, reminderDays: 0 };
    await withPolicy("RULES_NEW", { ...stripe, rulesJson: JSON.stringify({ pattern: "^sk_live_", minLength: 24 }) }, bearer(token));
    expect(await policyOf("RULES_NEW")).toMatchObject({ type: "stripe-key" });
    expect(await rulesOf("RULES_NEW")).toBe('{"pattern":"^sk_live_","minLength":24}');

    for (const [rulesJson, problem] of [
      ["{not json", "policy.rules_json: rules must be a JSON object"],
      ['{"const":"x"}', "policy.rules_json: rules may hold only pattern, format, minLength, maxLength, enum; got const"],
      ['{"pattern":"(open"}', "policy.rules_json: rules.pattern is not a valid regular expression"],
    ] as const) {
      const bad = await withPolicy("RULES_BAD", { ...stripe, rulesJson }, bearer(token));
      expect(bad.err?.code).toBe(status.INVALID_ARGUMENT);
      expect(bad.err?.details).toContain(problem);
    }
    expect(await rulesOf("RULES_BAD")).toBeUndefined();

    await withPolicy("RULES_NEW", { ...stripe, rulesJson: JSON.stringify({ pattern: "^rk_live_" }) }, bearer(token));
    const rows = await t.kdb.db.selectFrom("audit_log").select("reason").where("action", "=", "secret.describe").where("target", "=", "secret:RULES_NEW").execute();
    expect(rows).toEqual([{ reason: 'policy_mismatch: rules declared {"pattern":"^rk_live_"}, stored {"pattern":"^sk_live_","minLength":24}' }]);
    // The stored rules stay until an admin acts on the report.
    expect(await rulesOf("RULES_NEW")).toBe('{"pattern":"^sk_live_","minLength":24}');
  });
});
