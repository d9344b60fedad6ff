// Issue #14: the changes admins must hear about write their outbox event in the same transaction:
// a pending token at registration, a stub for a missing secret, an access request. Each event names
// things and links to the console page that acts on it; never a value or the token.
import { randomBytes } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { decideServiceToken, listOutboxEvents, setSecretValue } from "@keyward/db";
import type { GetSecretRequest, GetSecretResponse, RegisterTokenRequest, RegisterTokenResponse } from "@keyward/proto";
import { bearer, bothDatabases, environmentId, startTestServer, unary, type TestServer } from "./harness.js";

describe.each(bothDatabases)("outbox events from gRPC on %s", (_name, database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(await database());
  });
  afterAll(async () => t?.close());
  const register = (serviceName: string, md: Metadata) =>
    unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName, serviceVersion: "1.0.0", environment: "" }, md);
  const getSecret = (name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "Stripe key" }, md);

  it("writes token.pending, secret.stub_created and access.requested once each, with console links and no value or token", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const value = "sk_live_" + randomBytes(12).toString("hex");
    await register("billing", bearer(token));
    await register("billing", bearer(token)); // registering again is no new event
    const tokenId = (await t.kdb.db.selectFrom("service_tokens").select("id").where("service_name", "=", "billing").executeTakeFirstOrThrow()).id;
    const envId = await environmentId(t.kdb.db);
    await decideServiceToken(t.kdb.db, { environmentId: envId, id: tokenId, decision: "approve", actor: "admin", at: new Date() });
    await getSecret("STRIPE_KEY", bearer(token)); // missing: stub + request
    await getSecret("STRIPE_KEY", bearer(token)); // nothing new
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: envId, name: "STRIPE_KEY", value, actor: "admin", at: new Date() });
    await getSecret("STRIPE_KEY", bearer(token));

    const events = await listOutboxEvents(t.kdb.db);
    expect(events.map((e) => [e.type, e.environment, e.subject, e.link])).toEqual([
      ["token.pending", "development", "billing", "/admin/tokens?status=pending&environment=development"],
      ["secret.stub_created", "development", "STRIPE_KEY", "/admin/missing?environment=development"],
      ["access.requested", "development", "billing/STRIPE_KEY", "/admin/approvals?environment=development"],
    ]);
    expect(events[0]!.data).toEqual({ tokenId, serviceName: "billing" });
    for (const e of events) expect(e.id).toMatch(/^evt_[0-9a-f]{32}$/);
    const text = JSON.stringify(events);
    expect(text).not.toContain(token);
    expect(text).not.toContain(value);
  });
});
