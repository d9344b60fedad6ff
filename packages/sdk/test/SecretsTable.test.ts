import http from "node:http";
import type { AddressInfo } from "node:net";
import { flushPromises, mount } from "@vue/test-utils";
import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SecretList } from "@keyward/spec";
import { createKeywardAdmin, SecretsTable } from "../src/index.js";

// A real local HTTP server that answers like the admin API; each test picks its reply by token.
const replies: Record<string, { status: number; body: unknown; delayMs?: number }> = {
  filled: {
    status: 200,
    body: {
      items: [
        { id: "1", name: "STRIPE_API_KEY", description: "Stripe", type: "api-key", status: "active", currentVersion: 2, rotationDays: 90, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" },
        { id: "2", name: "SENTRY_DSN", description: "Sentry", type: "generic", status: "stub", currentVersion: 0, rotationDays: 90, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" },
      ],
      nextCursor: null,
    } satisfies SecretList,
  },
  empty: { status: 200, body: { items: [], nextCursor: null } },
  error: { status: 401, body: { type: "about:blank", title: "Unauthenticated", status: 401, detail: "unknown or revoked admin token" } },
  slow: { status: 200, body: { items: [], nextCursor: null }, delayMs: 2000 },
};
const seen: string[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type", "access-control-allow-methods": "GET, PUT, POST" };
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const reply = replies[(req.headers.authorization ?? "").replace("Bearer ", "")] ?? replies.error!;
    setTimeout(() => {
      res.writeHead(reply.status, { "content-type": "application/json", ...cors });
      res.end(JSON.stringify(reply.body));
    }, reply.delayMs ?? 0);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function mountWith(token: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return mount(SecretsTable, { global: { plugins: [[VueQueryPlugin, { queryClient }], createKeywardAdmin({ baseUrl, getToken: () => token })] } });
}
const settle = async () => {
  for (let i = 0; i < 20; i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("SecretsTable", () => {
  it("shows a loading state", async () => {
    const w = mountWith("slow");
    await flushPromises();
    expect(w.get('[role="status"]').text()).toContain("Loading secrets");
    w.unmount();
  });

  it("renders secrets with masked values and sends the bearer token", async () => {
    const w = mountWith("filled");
    await settle();
    const rows = w.findAll("tbody tr");
    expect(rows.map((r) => r.attributes("data-name"))).toEqual(["STRIPE_API_KEY", "SENTRY_DSN"]);
    expect(rows[0]!.text()).toContain("••••••••");
    expect(rows[0]!.text()).toContain("api-key");
    expect(rows[1]!.text()).toContain("not set");
    expect(w.find("th").attributes("scope")).toBe("col");
    expect(seen).toContain("GET /api/secrets Bearer filled");
  });

  it("shows an empty state", async () => {
    const w = mountWith("empty");
    await settle();
    expect(w.text()).toContain("No secrets yet");
    expect(w.find("table").exists()).toBe(false);
  });

  it("shows the server's problem detail on error", async () => {
    const w = mountWith("error");
    await settle();
    expect(w.get('[role="alert"]').text()).toContain("unknown or revoked admin token");
  });
});
