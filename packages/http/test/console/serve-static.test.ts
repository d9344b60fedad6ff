import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope, createLogger, kekFromKey, systemClock } from "@keyward/common";
import { migrateToLatest, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { startHttpServer, type RunningHttpServer } from "../../src/index.js";
import { createStaticHandler } from "../../src/console/index.js";

// A built site next to a secret file that must never be reachable through it.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kw-console-"));
const site = path.join(tmp, "site");
const SECRET = "outside_" + randomBytes(8).toString("hex");
fs.mkdirSync(path.join(site, "assets"), { recursive: true });
fs.writeFileSync(path.join(site, "index.html"), "<!doctype html><title>console</title>");
fs.writeFileSync(path.join(site, "assets", "app-abc123.js"), "console.log(1)");
fs.writeFileSync(path.join(site, "assets", "app-abc123.css"), "body{}");
fs.writeFileSync(path.join(site, "favicon.svg"), "<svg/>");
fs.writeFileSync(path.join(tmp, "secret.txt"), SECRET);
fs.symlinkSync(path.join(tmp, "secret.txt"), path.join(site, "link.txt"));

let kdb: KeywardDatabase;
let server: RunningHttpServer;
let base: string;

beforeAll(async () => {
  kdb = wrapPglite(await PGlite.create());
  await migrateToLatest(kdb.db);
  const deps = { db: kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger: createLogger({ level: "error" }), clock: systemClock };
  server = await startHttpServer(deps, { host: "127.0.0.1", port: 0, consoleDir: site });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await kdb?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// fetch normalizes "../" away, so traversal attempts go over a raw socket, byte for byte.
function rawGet(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let out = "";
    socket.on("data", (c) => (out += c.toString()));
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("the console at /admin", () => {
  it("serves index.html, assets and files with the right content types and security headers", async () => {
    const index = await fetch(`${base}/admin/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expect(index.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(index.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await index.text()).toContain("<title>console</title>");

    const js = await fetch(`${base}/admin/assets/app-abc123.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect(await js.text()).toBe("console.log(1)");
    expect((await fetch(`${base}/admin/assets/app-abc123.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${base}/admin/favicon.svg`)).headers.get("content-type")).toBe("image/svg+xml");
  });

  it("redirects /admin to /admin/ so relative asset URLs resolve", async () => {
    const res = await fetch(`${base}/admin`, { redirect: "manual" });
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/admin/");
  });

  it("falls back to index.html for client-side routes, but 404s a missing asset", async () => {
    const route = await fetch(`${base}/admin/secrets/STRIPE_API_KEY`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain("<title>console</title>");
    const missing = await fetch(`${base}/admin/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("not found");
  });

  it("never serves a file outside its directory", async () => {
    for (const target of ["/admin/../secret.txt", "/admin/%2e%2e/secret.txt", "/admin/..%2fsecret.txt", "/admin/assets/..%2F..%2Fsecret.txt", "/admin/..%5csecret.txt", "/admin/%00", "/admin/%E0%A4%A"]) {
      const out = await rawGet(target);
      expect(out, target).toMatch(/^HTTP\/1\.1 (400|404)/);
      expect(out, target).not.toContain(SECRET);
    }
    const link = await fetch(`${base}/admin/link.txt`);
    expect(link.status).toBe(404);
    expect(await link.text()).not.toContain(SECRET);
  });

  it("answers only GET and HEAD, and leaves the API where it was", async () => {
    const post = await fetch(`${base}/admin/`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(`${base}/admin/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const api = await fetch(`${base}/api/secrets`);
    expect(api.status).toBe(401);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    // A path that only starts with the mount's letters is not the console.
    expect((await fetch(`${base}/administrator`)).headers.get("content-type")).toBe("application/problem+json");
  });

  it("refuses a directory without index.html, and a bad mount path, with a clear error", () => {
    expect(() => createStaticHandler({ dir: tmp, mountPath: "/admin" })).toThrow(/has no index\.html; build it first/);
    expect(() => createStaticHandler({ dir: site, mountPath: "admin/../x" })).toThrow(/mountPath must look like "\/admin"/);
  });
});
