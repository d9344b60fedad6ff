import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { ensureJob } from "@keyward/db";
import { ChannelForm, ChannelsTable, DeliveriesTable, JobsTable, KwToasts, SubscriptionsTable } from "../src/index.js";
import { formatInterval } from "../src/composables/format.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const SECRET = "whsec_ui_" + "0f1e2d3c4b5a6978";
const SECRET2 = "whsec_ui_second_" + "8796a5b4c3d2e1f0";

/**
 * A local webhook receiver answering `status`. The service runs in this happy-dom test process, so
 * its webhook sender uses happy-dom's fetch, which applies CORS: the receiver allows any origin.
 */
async function receiver(status: number) {
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-methods": "POST", "access-control-allow-headers": "*" }).end();
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// A host page: the channels, the form, the picked channel's history and the toasts.
const Page = defineComponent({
  data: () => ({ selected: "" }),
  render() {
    return [
      h(ChannelsTable, { selected: this.selected, onSelect: (name: string) => (this.selected = name) }),
      h(ChannelForm),
      this.selected ? h(DeliveriesTable, { channel: this.selected }) : null,
      h(KwToasts),
    ];
  },
});

describe("notification components against the real admin API", () => {
  let ok: Awaited<ReturnType<typeof receiver>>;
  let failing: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    ok = await receiver(200);
    failing = await receiver(500);
  });
  afterAll(async () => {
    await ok?.close();
    await failing?.close();
  });

  it("empty channels, subscriptions and jobs say what to do; a bad token shows the problem", async () => {
    for (const [component, text] of [
      [ChannelsTable, "No channels yet."],
      [SubscriptionsTable, "No subscriptions yet."],
      [JobsTable, "No jobs have run yet."],
    ] as const) {
      const { wrapper } = mountAdmin(api, component);
      await until(() => wrapper.find(".kw-empty").exists(), "empty");
      expect(wrapper.get(".kw-empty-title").text()).toBe(text);
      expect(wrapper.get(".kw-empty-hint").text().length).toBeGreaterThan(20);
      wrapper.unmount();
    }
    const bad = mountAdmin(api, ChannelsTable, { token: unknownToken() });
    await until(() => bad.wrapper.find('[role="alert"]').exists(), "error");
    expect(bad.wrapper.get('[role="alert"]').text()).toMatch(/^Could not load channels: .*(unknown|revoked)/);
    bad.wrapper.unmount();
  });

  it("adds a webhook channel with a write-only secret, shows a refusal next to its field, sends a test (delivered), and never renders the secret", async () => {
    const { wrapper } = mountAdmin(api, Page);
    await until(() => wrapper.find(".kw-empty").exists(), "no channels");
    const secretInput = () => wrapper.get('input[name="signingSecret"]');
    expect(secretInput().attributes("type")).toBe("password");

    // A too-short secret: the API's problem sits next to the signing secret field, and the input is emptied.
    await wrapper.get('input[name="name"]').setValue("ops-hook");
    await wrapper.get('input[name="url"]').setValue(ok.url);
    await secretInput().setValue("short");
    await wrapper.get("form.kw-channel-form").trigger("submit");
    await until(() => wrapper.get('[data-error="signingSecret"]').text() !== "", "field error");
    expect(wrapper.get('[data-error="signingSecret"]').text()).toMatch(/signingSecret|16/);
    expect(secretInput().attributes("aria-invalid")).toBe("true");
    expect((secretInput().element as HTMLInputElement).value).toBe("");

    await secretInput().setValue(SECRET);
    await wrapper.get("form.kw-channel-form").trigger("submit");
    await until(() => wrapper.find('tr[data-channel="ops-hook"]').exists(), "channel row");
    expect((secretInput().element as HTMLInputElement).value).toBe("");
    expect((wrapper.get('input[name="name"]').element as HTMLInputElement).value).toBe("");
    const row = () => wrapper.get('tr[data-channel="ops-hook"]');
    expect(row().get("[data-kind]").text()).toBe("webhook");
    expect(row().get("[data-target]").text()).toBe(ok.url);
    expect(row().get(".kw-badge").text()).toBe("enabled");

    // Send a test: delivered, toast, and the history opens with the delivery.
    await row().get('[data-action="test"]').trigger("click");
    await until(() => wrapper.findAll('[data-toast="ok"]').length === 2 && wrapper.find("tr[data-status]").exists(), "delivered toast and history");
    expect(wrapper.findAll('[data-toast="ok"]').map((t) => t.text())).toContainEqual(expect.stringContaining("Test message to ops-hook: delivered."));
    expect(ok.got).toHaveLength(1);
    const delivery = wrapper.get(".kw-deliveries tbody tr");
    expect(delivery.attributes("data-status")).toBe("delivered");
    expect(delivery.get("th").text()).toBe("test message");
    expect(delivery.get("[data-subject]").text()).toBe("ops-hook");
    expect(delivery.get("[data-attempts]").text()).toBe("1");
    expect(delivery.get("[data-status-code]").text()).toBe("200");
    expect(delivery.get(".kw-badge").text()).toBe("delivered");

    // Disable, then enable again.
    await row().get('[data-action="toggle"]').trigger("click");
    await until(() => row().get(".kw-badge").text() === "disabled", "disabled");
    expect((await adminCall<{ items: { enabled: boolean }[] }>(api, "GET", "/api/channels")).items[0]!.enabled).toBe(false);
    await row().get('[data-action="toggle"]').trigger("click");
    await until(() => row().get(".kw-badge").text() === "enabled", "enabled again");

    expect(wrapper.html()).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
    wrapper.unmount();
  });

  it("a failing receiver: the test is dead, the toast and history show the error; delete asks first", async () => {
    await adminCall(api, "POST", "/api/channels", { name: "broken-hook", kind: "webhook", config: { url: failing.url }, credentials: { signingSecret: SECRET2 } });
    const { wrapper } = mountAdmin(api, Page);
    await until(() => wrapper.find('tr[data-channel="broken-hook"]').exists(), "row");
    const row = () => wrapper.get('tr[data-channel="broken-hook"]');
    await row().get('[data-action="test"]').trigger("click");
    await until(() => wrapper.find('[data-toast="danger"]').exists() && wrapper.find('.kw-deliveries tr[data-status="dead"]').exists(), "dead");
    expect(wrapper.get('[data-toast="danger"]').text()).toMatch(/^Test message to broken-hook: dead\. .*500/);
    const dead = wrapper.get('.kw-deliveries tr[data-status="dead"]');
    expect(dead.get("[data-last-error]").text()).toMatch(/500/);
    expect(dead.get("[data-status-code]").text()).toBe("500");
    expect(dead.get(".kw-badge").attributes("data-tone")).toBe("danger");
    // The status filter: none delivered on this channel.
    await wrapper.get('.kw-deliveries [data-filter="status"]').setValue("delivered");
    await until(() => wrapper.find(".kw-deliveries .kw-empty").exists(), "no delivered");
    expect(wrapper.get(".kw-deliveries .kw-empty-title").text()).toBe("Nothing sent over this channel yet.");

    await row().get('[data-action="delete"] button').trigger("click");
    await row().get('[data-action="cancel"]').trigger("click");
    expect((await adminCall<{ items: unknown[] }>(api, "GET", "/api/channels")).items).toHaveLength(2);
    await row().get('[data-action="delete"] button').trigger("click");
    await row().get('[data-action="confirm"]').trigger("click");
    await until(() => !wrapper.find('tr[data-channel="broken-hook"]').exists(), "deleted");
    expect((await adminCall<{ items: unknown[] }>(api, "GET", "/api/channels")).items).toHaveLength(1);
    expect(document.body.innerHTML).not.toContain(SECRET2);
    wrapper.unmount();
  });

  it("a Slack channel's URL is a password input and never shown; an email channel's bad address is named next to To", async () => {
    const slackUrl = "http://127.0.0.1:9/services/T0/B0/xoxb-ui-never-shown";
    const { wrapper } = mountAdmin(api, defineComponent({ render: () => [h(ChannelForm), h(ChannelsTable)] }));
    await wrapper.get('input[name="name"]').setValue("team-slack");
    await wrapper.get('select[name="kind"]').setValue("slack");
    expect(wrapper.get('input[name="webhookUrl"]').attributes("type")).toBe("password");
    await wrapper.get('input[name="webhookUrl"]').setValue(slackUrl);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.find('tr[data-channel="team-slack"]').exists(), "slack row");
    expect(wrapper.get('tr[data-channel="team-slack"] [data-target]').text()).toBe("Slack incoming webhook");
    expect(document.body.innerHTML).not.toContain("xoxb-ui-never-shown");

    await wrapper.get('input[name="name"]').setValue("mail");
    await wrapper.get('select[name="kind"]').setValue("email");
    expect(wrapper.get('input[name="password"]').attributes("type")).toBe("password");
    expect((wrapper.get('input[name="requireTls"]').element as HTMLInputElement).checked).toBe(true);
    await wrapper.get('input[name="host"]').setValue("127.0.0.1");
    await wrapper.get('input[name="from"]').setValue("keyward@example.com");
    await wrapper.get('input[name="to"]').setValue("ops@example.com, not an address");
    await wrapper.get('input[name="password"]').setValue("smtp-pass-never-shown");
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.get('[data-error="to"]').text() !== "", "to error");
    expect(wrapper.get('input[name="to"]').attributes("aria-invalid")).toBe("true");
    expect((wrapper.get('input[name="password"]').element as HTMLInputElement).value).toBe("");
    expect(document.body.innerHTML).not.toContain("smtp-pass-never-shown");
    wrapper.unmount();
    await adminCall(api, "DELETE", "/api/channels/team-slack");
  });

  it("adds a subscription for chosen event types and environments, shows 'every event' for none, deletes after asking", async () => {
    const { wrapper } = mountAdmin(api, defineComponent({ render: () => [h(SubscriptionsTable), h(KwToasts)] }));
    await until(() => wrapper.find(".kw-empty").exists() && wrapper.findAll('[data-field="channel"] option').length === 1, "empty, one channel").catch((e) => {
      throw new Error(`${(e as Error).message}: ${wrapper.html()}`);
    });
    // The channel select shows the only channel, not an empty choice.
    expect((wrapper.get('[data-field="channel"]').element as HTMLSelectElement).value).toBe("ops-hook");
    const types = wrapper.get('[data-field="event-types"]');
    expect(types.findAll("option").map((o) => o.attributes("value"))).toContain("rotation.overdue");
    await types.setValue(["rotation.overdue", "token.pending"]);
    // The environments come from their own query: choose once they are listed.
    await until(() => wrapper.get('[data-field="environments"]').findAll("option").some((o) => o.attributes("value") === "production"), "the environments listed");
    await wrapper.get('[data-field="environments"]').setValue(["production"]);
    await wrapper.get("form.kw-subscribe").trigger("submit");
    await until(() => wrapper.findAll("tbody tr").length === 1, "one subscription");
    const row = wrapper.get("tbody tr");
    expect(row.get("th").text()).toBe("ops-hook");
    expect(row.get("[data-event-types]").text()).toBe("token waiting for approval, rotation overdue");
    expect(row.get("[data-environments]").text()).toBe("production");
    await wrapper.get("form.kw-subscribe").trigger("submit");
    await until(() => wrapper.findAll("tbody tr").length === 2, "a second, for everything");
    const every = wrapper.findAll("tbody tr").find((r) => r.get("[data-event-types]").text() === "every event")!;
    expect(every.get("[data-environments]").text()).toBe("every environment");
    const subs = await adminCall<{ items: { id: string; eventTypes: string[] }[] }>(api, "GET", "/api/subscriptions");
    expect(subs.items.map((s) => s.eventTypes.length).sort()).toEqual([0, 2]);
    await every.get('[data-action="delete"] button').trigger("click");
    await every.get('[data-action="confirm"]').trigger("click");
    await until(() => wrapper.findAll("tbody tr").length === 1, "one left");
    expect((await adminCall<{ items: unknown[] }>(api, "GET", "/api/subscriptions")).items).toHaveLength(1);
    wrapper.unmount();
  });

  it("lists the scheduler's jobs with their schedule, next run and last status", async () => {
    await ensureJob(api.kdb.db, { name: "deliver-notifications", schedule: "every 60000ms", firstRunAt: new Date(Date.now() + 60_000) });
    await ensureJob(api.kdb.db, { name: "nightly-report", schedule: "daily 06:00 UTC", firstRunAt: new Date(Date.now() + 60_000) });
    const { wrapper } = mountAdmin(api, JobsTable, { props: { hideCaption: true } });
    await until(() => wrapper.find('tr[data-job="deliver-notifications"]').exists(), "job row");
    const row = wrapper.get('tr[data-job="deliver-notifications"]');
    // The API's interval in milliseconds reads in words; the raw schedule stays as the tooltip.
    expect(row.get("[data-schedule]").text()).toBe("every 1 min");
    expect(row.get("[data-schedule]").attributes("title")).toBe("every 60000ms");
    expect(wrapper.get('tr[data-job="nightly-report"] [data-schedule]').text()).toBe("daily 06:00 UTC");
    expect([5000, 300_000, 3_600_000, 86_400_000, 90_000, 1500].map(formatInterval)).toEqual(["5 s", "5 min", "1 h", "1 d", "90 s", "1500 ms"]);
    expect(row.get("[data-last-run]").text()).toBe("not yet");
    expect(row.get(".kw-badge").text()).toBe("never run");
    expect(row.get("[data-held-by]").text()).toBe("nobody");
    // Under a page's own heading the caption stays for screen readers only.
    expect(wrapper.get("caption").classes()).toContain("kw-sr");
    wrapper.unmount();
  });
});
