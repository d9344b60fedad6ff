import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { flushPromises } from "@vue/test-utils";
import { afterAll, beforeAll } from "vitest";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, migrateToLatest, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { startHttpServer, type RunningHttpServer } from "@keyward/http";

/**
 * The real admin API (PGlite + @keyward/http over loopback) for the console's tests, started once
 * per file; the happy-dom page moves to its /admin/ so the console's calls are same-origin.
 */
export interface AdminApi {
  base: string;
  /** An owner key. */
  token: string;
  kdb: KeywardDatabase;
}

export function useAdminApi(): AdminApi {
  const api = { token: generateToken(ADMIN_TOKEN_PREFIX) } as AdminApi;
  let server: RunningHttpServer | undefined;
  beforeAll(async () => {
    api.kdb = wrapPglite(await PGlite.create());
    await migrateToLatest(api.kdb.db);
    await createAdminKey(api.kdb.db, { name: "test owner", role: "owner", keyHash: hashToken(api.token), actor: "system", at: new Date() });
    const deps = { db: api.kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger: createLogger({ level: "silent" }), clock: systemClock };
    server = await startHttpServer(deps, { host: "127.0.0.1", port: 0 });
    api.base = `http://127.0.0.1:${server.port}`;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${api.base}/admin/`);
  });
  afterAll(async () => {
    await server?.close();
    await api.kdb?.close();
  });
  return api;
}

/** Calls the admin API as the owner (to seed data the way an admin would), failing loudly on errors. */
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

/** Lets loopback requests and Vue updates run until `done()` holds (or fails after ~10 s). */
export async function until(done: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await flushPromises();
    if (done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
