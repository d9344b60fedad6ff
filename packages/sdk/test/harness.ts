import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { flushPromises, mount } from "@vue/test-utils";
import { afterAll, beforeAll } from "vitest";
import type { Component } from "vue";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, getDefaultEnvironment, migrateToLatest, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { startHttpServer, type HttpDeps, type RunningHttpServer } from "@keyward/http";
import { createKeywardAdmin, type KeywardMessages } from "../src/index.js";

/**
 * The real admin API (PGlite + @keyward/http over loopback), started once per test file. The
 * happy-dom page is moved to the server's origin so requests are same-origin, as in the console.
 */
export interface AdminApi {
  base: string;
  token: string;
  deps: HttpDeps;
  kdb: KeywardDatabase;
  /** The default environment's id, where the admin API acts when no environment is given. */
  environmentId: string;
}

export function useAdminApi(): AdminApi {
  const api = { token: generateToken(ADMIN_TOKEN_PREFIX) } as AdminApi;
  let server: RunningHttpServer | undefined;
  beforeAll(async () => {
    api.kdb = wrapPglite(await PGlite.create());
    await migrateToLatest(api.kdb.db);
    api.environmentId = (await getDefaultEnvironment(api.kdb.db)).id;
    await createAdminKey(api.kdb.db, { name: "test owner", role: "owner", keyHash: hashToken(api.token), actor: "system", at: new Date() });
    api.deps = { db: api.kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger: createLogger({ level: "silent" }), clock: systemClock };
    server = await startHttpServer(api.deps, { host: "127.0.0.1", port: 0 });
    api.base = `http://127.0.0.1:${server.port}`;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${api.base}/admin/`);
  });
  afterAll(async () => {
    await server?.close();
    await api.kdb?.close();
  });
  return api;
}

/** Mounts a component with vue-query and the Keyward plugin; `token` may be wrong on purpose. */
export function mountAdmin(api: AdminApi, component: Component, options: { props?: Record<string, unknown>; token?: string; messages?: KeywardMessages } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const token = options.token ?? api.token;
  const wrapper = mount(component, {
    props: options.props,
    attachTo: document.body,
    global: { plugins: [[VueQueryPlugin, { queryClient }], createKeywardAdmin({ baseUrl: api.base, getToken: () => token, ...(options.messages ? { messages: options.messages } : {}) })] },
  });
  return { wrapper, queryClient };
}

/** Lets loopback requests and Vue updates run until `done()` holds (or fails after ~10 s). */
export async function until(done: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await flushPromises();
    if (done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A token that is well formed but unknown, for the error state. */
export const unknownToken = () => generateToken(ADMIN_TOKEN_PREFIX);

/** Calls the admin API directly (to seed data the way an admin would), failing loudly on errors. */
export async function adminCall<T = unknown>(api: AdminApi, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(api.base + path, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
