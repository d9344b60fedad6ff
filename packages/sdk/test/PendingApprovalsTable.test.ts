import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { createSecretStub, ensureAccessRequest, registerServiceToken } from "@keyward/db";
import { PendingApprovalsTable } from "../src/index.js";
import { toDateTimeLocal } from "../src/composables/format.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("PendingApprovalsTable against the real admin API", () => {
  it("loading: shows a status at first", () => {
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading pending approvals…");
    wrapper.unmount();
  });

  it("empty: says that no token and no request is waiting", async () => {
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    await until(() => wrapper.find('[data-empty="tokens"]').exists(), "empty");
    expect(wrapper.get('[data-empty="tokens"] .kw-empty-title').text()).toBe("No service tokens are waiting.");
    expect(wrapper.get('[data-empty="requests"] .kw-empty-title').text()).toBe("No access requests are waiting.");
    wrapper.unmount();
  });

  it("error: shows the server's problem", async () => {
    const { wrapper } = mountAdmin(api, PendingApprovalsTable, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load pending approvals: .*(unknown|revoked)/);
    wrapper.unmount();
  });

  it("filled: approves and denies only after a confirmation, by mouse and by keyboard", async () => {
    const at = new Date();
    const web = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "web", serviceVersion: "1.2.0", at });
    const cron = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "cron", serviceVersion: "0.1.0", at });
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "SENTRY_DSN", description: "", requestedBy: "service:web", at });
    const read = await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SENTRY_DSN", serviceName: "web", at });
    const other = await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SENTRY_DSN", serviceName: "cron", at });

    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    await until(() => wrapper.findAll('[data-table="tokens"] tbody tr').length === 2, "tokens");
    expect(wrapper.findAll('[data-table="requests"] tbody tr')).toHaveLength(2);
    const tokenRow = () => wrapper.get(`[data-table="tokens"] tr[data-id="${web.token.id}"]`);
    expect(tokenRow().text()).toContain("1.2.0");
    // A secret name of 128 characters wraps in its cell instead of pushing Approve / Deny out of the frame.
    expect(wrapper.get(`[data-table="requests"] tr[data-id="${read.request.id}"] td.kw-mono`).classes()).toContain("kw-wrap");

    // Approve asks first; Cancel leaves everything as it was.
    await tokenRow().get('[data-action="approve"] button').trigger("click");
    const group = tokenRow().get('[role="dialog"]');
    expect(group.attributes("aria-label")).toBe("Approve the token of web? It can then ask for secrets.");
    expect(document.activeElement).toBe(group.get('[data-action="confirm"]').element);
    await group.get('[data-action="cancel"]').trigger("click");
    expect(tokenRow().find('[role="dialog"]').exists()).toBe(false);
    // Escape cancels too.
    await tokenRow().get('[data-action="approve"] button').trigger("click");
    await tokenRow().get('[role="dialog"]').trigger("keydown", { key: "Escape" });
    expect(tokenRow().find('[role="dialog"]').exists()).toBe(false);
    expect(await adminCall(api, "GET", "/api/service-tokens?status=pending")).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: web.token.id })]) });

    // Confirm: the token is approved on the server and leaves the pending list.
    await tokenRow().get('[data-action="approve"] button').trigger("click");
    await tokenRow().get('[data-action="confirm"]').trigger("click");
    await until(() => !wrapper.find(`[data-table="tokens"] tr[data-id="${web.token.id}"]`).exists(), "approved token gone");
    const tokens = await adminCall<{ items: { id: string; status: string }[] }>(api, "GET", "/api/service-tokens");
    expect(tokens.items.find((t) => t.id === web.token.id)?.status).toBe("approved");

    // Deny a token: it is revoked.
    const cronRow = () => wrapper.get(`[data-table="tokens"] tr[data-id="${cron.token.id}"]`);
    await cronRow().get('[data-action="deny"] button').trigger("click");
    await cronRow().get('[data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('[data-empty="tokens"]').exists(), "no tokens left");
    expect((await adminCall<{ items: { id: string; status: string }[] }>(api, "GET", "/api/service-tokens")).items.find((t) => t.id === cron.token.id)?.status).toBe("revoked");

    // Access requests: approve one, deny the other.
    const reqRow = (id: string) => wrapper.get(`[data-table="requests"] tr[data-id="${id}"]`);
    await reqRow(read.request.id).get('[data-action="approve"] button').trigger("click");
    expect(reqRow(read.request.id).get('[role="dialog"]').attributes("aria-label")).toBe("Let web read SENTRY_DSN?");
    await reqRow(read.request.id).get('[data-action="confirm"]').trigger("click");
    await until(() => !wrapper.find(`tr[data-id="${read.request.id}"]`).exists(), "granted");
    await reqRow(other.request.id).get('[data-action="deny"] button').trigger("click");
    await reqRow(other.request.id).get('[data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('[data-empty="requests"]').exists(), "no requests left");
    const requests = await adminCall<{ items: { id: string; status: string }[] }>(api, "GET", "/api/access-requests");
    expect(Object.fromEntries(requests.items.map((r) => [r.id, r.status]))).toEqual({ [read.request.id]: "granted", [other.request.id]: "denied" });
    wrapper.unmount();
  });

  it("shows where each token registered from, and flags one whose service name already has approved tokens", async () => {
    const at = new Date();
    const identity = { peerAddress: "10.1.2.3", certificate: { subject: "CN=payroll", sans: "DNS:payroll, URI:spiffe://prod/payroll", spiffeId: "spiffe://prod/payroll", fingerprint: "AB:CD" } };
    const approved = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "payroll", serviceVersion: "1", at, identity });
    await adminCall(api, "POST", `/api/service-tokens/${approved.token.id}/approve`);
    const second = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "payroll", serviceVersion: "1", at, identity: { peerAddress: "203.0.113.9" } });
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    await until(() => wrapper.find(`[data-table="tokens"] tr[data-id="${second.token.id}"]`).exists(), "pending token");
    const row = wrapper.get(`[data-table="tokens"] tr[data-id="${second.token.id}"]`);
    expect(row.get("[data-address]").text()).toBe("203.0.113.9");
    expect(row.get('[data-certificate="none"]').text()).toBe("no client certificate");
    expect(row.get("[data-shared-name]").text()).toBe("1 approved token already uses this name");
    await row.get('[data-action="approve"] button').trigger("click");
    expect(row.get('[role="dialog"]').attributes("aria-label")).toMatch(/^1 approved token already uses the name payroll, and this one would get every grant of that name\. Approve it only if it is a redeploy you recognise/);
    await row.get('[data-action="cancel"]').trigger("click");
    await adminCall(api, "POST", `/api/service-tokens/${second.token.id}/revoke`);
    wrapper.unmount();
    // The approved one shows its certificate's SPIFFE ID in the tokens list.
    const listed = await adminCall<{ items: { id: string; registeredFrom: unknown; sameNameApproved: number }[] }>(api, "GET", "/api/service-tokens?status=approved");
    expect(listed.items.find((t) => t.id === approved.token.id)).toMatchObject({ registeredFrom: { address: "10.1.2.3", certificate: { spiffeId: "spiffe://prod/payroll", fingerprint: "AB:CD" } }, sameNameApproved: 0 });
  });

  it("pages through many pending items, and steps back when a later page empties", async () => {
    const before = await adminCall<{ items: { id: string }[] }>(api, "GET", "/api/service-tokens?status=pending");
    for (const t of before.items) await adminCall(api, "POST", `/api/service-tokens/${t.id}/revoke`);
    const a = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "page-a", serviceVersion: "1.0.0", at: new Date() });
    const b = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "page-b", serviceVersion: "1.0.0", at: new Date() });
    const { wrapper } = mountAdmin(api, PendingApprovalsTable, { props: { pageSize: 1 } });
    await until(() => wrapper.findAll('[data-table="tokens"] tbody tr').length === 1, "page 1");
    const first = wrapper.get('[data-table="tokens"] tbody tr').attributes("data-id");
    await wrapper.get('[data-pager="tokens"] button:last-of-type').trigger("click");
    await until(() => wrapper.find('[data-table="tokens"] tbody tr').attributes("data-id") !== first, "page 2");
    const second = wrapper.get('[data-table="tokens"] tbody tr').attributes("data-id");
    expect([first, second].sort()).toEqual([a.token.id, b.token.id].sort());
    // Approving the only token on page 2 empties it: the table goes back to page 1.
    await wrapper.get('[data-table="tokens"] [data-action="approve"] button').trigger("click");
    await wrapper.get('[data-table="tokens"] [data-action="confirm"]').trigger("click");
    await until(() => wrapper.find(`[data-table="tokens"] tr[data-id="${first}"]`).exists(), "back on page 1");
    wrapper.unmount();
  });

  it("shows a failed action (e.g. the token was already decided elsewhere)", async () => {
    const t = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "late", serviceVersion: "1.0.0", at: new Date() });
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    await until(() => wrapper.find(`tr[data-id="${t.token.id}"]`).exists(), "token");
    // Another admin revokes it meanwhile; approving a revoked token is refused by the server.
    await adminCall(api, "POST", `/api/service-tokens/${t.token.id}/revoke`);
    await wrapper.get(`tr[data-id="${t.token.id}"] [data-action="approve"] button`).trigger("click");
    await wrapper.get(`tr[data-id="${t.token.id}"] [data-action="confirm"]`).trigger("click");
    await until(() => wrapper.text().includes("The action failed:"), "failure shown");
    wrapper.unmount();
  });
  it("approves a token until an expiry typed in its row, and approves without one when left empty", async () => {
    const before = await adminCall<{ items: { id: string }[] }>(api, "GET", "/api/service-tokens?status=pending");
    for (const t of before.items) await adminCall(api, "POST", `/api/service-tokens/${t.id}/revoke`);
    const timed = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "timed", serviceVersion: "1.0.0", at: new Date() });
    const open = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "open-ended", serviceVersion: "1.0.0", at: new Date() });
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    const row = (id: string) => wrapper.get(`[data-table="tokens"] tr[data-id="${id}"]`);
    await until(() => wrapper.findAll('[data-table="tokens"] tbody tr').length === 2, "tokens");
    expect(wrapper.get('[data-table="tokens"] thead').text()).toContain("Expires");

    const input = row(timed.token.id).get<HTMLInputElement>("[data-expiry-input]");
    expect(input.attributes("type")).toBe("datetime-local");
    expect(wrapper.get(`label[for="${input.attributes("id")}"]`).text()).toBe("Expiry for the token of timed (optional)");
    expect(wrapper.get(`#${CSS.escape(input.attributes("aria-describedby")!)}`).text()).toBe("Leave empty for no expiry.");
    const expiry = toDateTimeLocal(new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString());
    const iso = new Date(expiry).toISOString();
    await input.setValue(expiry);
    await row(timed.token.id).get('[data-action="approve"] button').trigger("click");
    expect(row(timed.token.id).get('[role="dialog"]').attributes("aria-label")).toBe(`Approve the token of timed until ${new Date(iso).toLocaleString()}? It can ask for secrets until then.`);
    await row(timed.token.id).get('[data-action="confirm"]').trigger("click");
    await until(() => !wrapper.find(`[data-table="tokens"] tr[data-id="${timed.token.id}"]`).exists(), "approved until");

    await row(open.token.id).get('[data-action="approve"] button').trigger("click");
    expect(row(open.token.id).get('[role="dialog"]').attributes("aria-label")).toBe("Approve the token of open-ended? It can then ask for secrets.");
    await row(open.token.id).get('[data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('[data-empty="tokens"]').exists(), "both approved");

    const tokens = (await adminCall<{ items: { id: string; status: string; expiresAt: string | null; expired: boolean }[] }>(api, "GET", "/api/service-tokens?status=approved")).items;
    expect(tokens.find((t) => t.id === timed.token.id)).toMatchObject({ status: "approved", expiresAt: iso, expired: false });
    expect(tokens.find((t) => t.id === open.token.id)).toMatchObject({ status: "approved", expiresAt: null });
    wrapper.unmount();
  });

  it("shows the server's refusal of an expiry in the past and leaves the token pending", async () => {
    const t = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "past", serviceVersion: "1.0.0", at: new Date() });
    const { wrapper } = mountAdmin(api, PendingApprovalsTable);
    await until(() => wrapper.find(`tr[data-id="${t.token.id}"]`).exists(), "token");
    await wrapper.get(`tr[data-id="${t.token.id}"] [data-expiry-input]`).setValue(toDateTimeLocal(new Date(Date.now() - 3600_000).toISOString()));
    await wrapper.get(`tr[data-id="${t.token.id}"] [data-action="approve"] button`).trigger("click");
    await wrapper.get(`tr[data-id="${t.token.id}"] [data-action="confirm"]`).trigger("click");
    await until(() => wrapper.find('[role="alert"]').exists(), "failure shown");
    expect(wrapper.get('[role="alert"]').text()).toBe("The action failed: expiresAt must be in the future");
    expect((await adminCall<{ items: { id: string }[] }>(api, "GET", "/api/service-tokens?status=pending")).items.map((x) => x.id)).toContain(t.token.id);
    wrapper.unmount();
  });
});
