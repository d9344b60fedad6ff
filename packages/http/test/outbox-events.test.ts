// Issue #14: a secret an admin creates without a value waits for one, so its outbox event commits
// with it; one created with a value, or refused, writes none. Never a value in an event.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutboxEvents } from "@keyward/db";
import { backends, startApi, type Api } from "./harness.js";

describe.each(backends)("outbox events from the admin API on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => api?.close());

  it("records secret.stub_created for a secret created without a value, and nothing else", async () => {
    const value = "pw_" + randomBytes(12).toString("hex");
    expect((await api.call("POST", "/api/secrets", { body: { name: "WITH_VALUE", value } })).status).toBe(201);
    expect((await api.call("POST", "/api/secrets", { body: { name: "WAITING" } })).status).toBe(201);
    expect((await api.call("POST", "/api/secrets", { body: { name: "WAITING" } })).status).toBe(409);
    const events = await listOutboxEvents(api.kdb.db);
    expect(events.map((e) => [e.type, e.environment, e.subject, e.link])).toEqual([["secret.stub_created", "development", "WAITING", "/admin/missing?environment=development"]]);
    expect(JSON.stringify(events)).not.toContain(value);
  });
});
