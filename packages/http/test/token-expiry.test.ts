import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, type Clock } from "@keyward/common";
import { registerServiceToken, subscribeToChanges, type ChangeEvent } from "@keyward/db";
import { ROLES, isAllowed } from "../src/index.js";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const TOKEN = "kws_" + "e".repeat(43);
const DAY = 24 * 3600 * 1000;

/** A clock the test moves by hand, so "in the future" and "expired" are exact. */
function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

describe.each(backends)("service token expiry over the admin API on %s", (backend) => {
  let api: Api;
  const clock = manualClock(new Date("2026-06-01T12:00:00.000Z"));
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  beforeAll(async () => {
    api = await startApi({ backend, clock });
  });
  afterAll(async () => {
    // Neither a service token nor its hash ever reaches a response or a log line.
    for (const secret of [TOKEN, hashToken(TOKEN)]) {
      expect(api.bodies.join("\n")).not.toContain(secret);
      expect(api.logs()).not.toContain(secret);
    }
    await api?.close();
  });

  const listed = async (id: string) => (await api.call("GET", "/api/service-tokens")).json.items.find((t: { id: string }) => t.id === id);
  const approve = (id: string, body?: unknown, token?: string) => api.call("POST", `/api/service-tokens/${id}/approve`, { body, token });

  it("sets an expiry on approval, shows it in the list, changes and clears it, and notifies each change", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken(TOKEN), serviceName: "expiring", serviceVersion: "1.0.0", at: clock.now() });
    expect(await listed(token.id)).toMatchObject({ status: "pending", expiresAt: null, expired: false });
    const events: ChangeEvent[] = [];
    const subscription = await subscribeToChanges(api.kdb, (e) => events.push(e));
    const tokenEvents = () => events.filter((e) => e.kind === "token" && e.id === token.id).length;
    const waitForEvents = async (n: number) => {
      for (let i = 0; i < 200 && tokenEvents() < n; i++) await new Promise((r) => setTimeout(r, 10));
      expect(tokenEvents()).toBe(n);
    };
    const oneDay = at(DAY);
    const twoDays = at(2 * DAY);
    let later = "";
    try {
      const approved = await approve(token.id, { expiresAt: oneDay });
      expect(approved.status, approved.text).toBe(200);
      expect(approved.json).toMatchObject({ status: "approved", expiresAt: oneDay, expired: false, approvedBy: expect.stringMatching(/^admin:/) });
      expect(await listed(token.id)).toMatchObject({ status: "approved", expiresAt: oneDay, expired: false });
      await waitForEvents(1);

      // Approving again changes the expiry; a time with an offset is accepted and given back in UTC.
      const withOffset = new Date(Date.parse(twoDays) + 2 * 3600 * 1000).toISOString().replace("Z", "+02:00");
      expect((await approve(token.id, { expiresAt: withOffset })).json).toMatchObject({ status: "approved", expiresAt: twoDays, expired: false });
      await waitForEvents(2);

      // No body, or a body without expiresAt, keeps it.
      expect((await approve(token.id)).json).toMatchObject({ expiresAt: twoDays });
      expect((await approve(token.id, {})).json).toMatchObject({ expiresAt: twoDays });
      expect(await listed(token.id)).toMatchObject({ expiresAt: twoDays });

      // Once the server's clock reaches it, the token shows as expired (and stays approved).
      clock.advance(2 * DAY);
      expect(await listed(token.id)).toMatchObject({ status: "approved", expiresAt: twoDays, expired: true });
      expect((await api.call("GET", "/api/service-tokens?status=approved")).json.items).toEqual([expect.objectContaining({ id: token.id, expired: true })]);

      // Extending it makes it usable again; null clears it.
      later = at(DAY);
      expect((await approve(token.id, { expiresAt: later })).json).toMatchObject({ expiresAt: later, expired: false });
      expect((await approve(token.id, { expiresAt: null })).json).toMatchObject({ status: "approved", expiresAt: null, expired: false });
      expect(await listed(token.id)).toMatchObject({ expiresAt: null, expired: false });
      await waitForEvents(4);
    } finally {
      await subscription.close();
    }

    // Each approval is audited with what it set.
    const rows = await api.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).where("target", "=", `token:${token.id}`).orderBy("seq").execute();
    expect(rows.map((r) => `${r.action}:${r.result}:${r.reason ?? ""}`)).toEqual([
      `token.approve:ok:expires ${oneDay}`,
      `token.approve:ok:expires ${twoDays}`,
      "token.approve:ok:",
      "token.approve:ok:",
      `token.approve:ok:expires ${later}`,
      "token.approve:ok:expiry cleared",
    ]);
  });

  it("refuses a past, present, malformed or mistyped expiresAt with a 400 naming the field, and changes nothing", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken("kws_refused"), serviceName: "refused", serviceVersion: "1", at: clock.now() });
    const bad: [unknown, string][] = [
      [{ expiresAt: at(-1000) }, "expiresAt"],
      [{ expiresAt: at(0) }, "expiresAt"],
      [{ expiresAt: "tomorrow" }, "expiresAt"],
      [{ expiresAt: "2999-01-01" }, "expiresAt"],
      [{ expiresAt: "2999-01-01T00:00:00" }, "expiresAt"],
      [{ expiresAt: "2999-02-30T00:00:00Z" }, "expiresAt"],
      [{ expiresAt: 4102444800000 }, "expiresAt"],
      [{ expiresAt: true }, "expiresAt"],
      [{ expiresAt: { at: "2999-01-01T00:00:00Z" } }, "expiresAt"],
      [{ expiresAt: at(DAY), extra: 1 }, "extra"],
      [["2999-01-01T00:00:00Z"], "body"],
      [JSON.stringify("2999-01-01T00:00:00Z"), "body"],
    ];
    for (const [body, field] of bad) {
      const r = await approve(token.id, body);
      expectProblem(r, 400, field);
      expect(r.json.title).toBe("Invalid body");
    }
    expectProblem(await api.call("POST", `/api/service-tokens/${token.id}/approve`, { body: "{", contentType: "application/json" }), 400, "body");
    expectProblem(await api.call("POST", `/api/service-tokens/${token.id}/approve`, { body: "expiresAt=x", contentType: "application/x-www-form-urlencoded" }), 415, "content-type");
    // Nothing was approved along the way.
    expect(await listed(token.id)).toMatchObject({ status: "pending", expiresAt: null });
    // A revoked token cannot be given an expiry; an unknown one is 404.
    await api.call("POST", `/api/service-tokens/${token.id}/revoke`);
    expectProblem(await approve(token.id, { expiresAt: at(DAY) }), 409, "id");
    expect(await listed(token.id)).toMatchObject({ status: "revoked", expiresAt: null });
    expectProblem(await approve("no-such-token", { expiresAt: at(DAY) }), 404, "id");
  });

  it("lets only owner and admin set or change an expiry", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken("kws_roles"), serviceName: "roles", serviceVersion: "1", at: clock.now() });
    for (const role of ROLES) {
      const expiresAt = at(DAY + ROLES.indexOf(role) * 1000);
      const r = await approve(token.id, { expiresAt }, api.tokens[role]);
      if (isAllowed("approveServiceToken", role)) {
        expect(r.status, `${role}: ${r.text}`).toBe(200);
        expect(r.json.expiresAt).toBe(expiresAt);
      } else {
        expectProblem(r, 403, "role");
      }
    }
    expect(ROLES.filter((role) => isAllowed("approveServiceToken", role))).toEqual(["owner", "admin"]);
    // The last allowed role (admin) set it; the refused ones changed nothing.
    expect(await listed(token.id)).toMatchObject({ expiresAt: at(DAY + 1000) });
  });
});
