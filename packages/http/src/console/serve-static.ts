import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { contentTypeFor } from "./content-types.js";

export interface StaticSiteOptions {
  /** The built site (a directory holding index.html). */
  dir: string;
  /** Where it is mounted, e.g. "/admin". */
  mountPath: string;
  /** Origins the site may fetch from besides its own (CSP connect-src), e.g. the OIDC provider's. */
  connectOrigins?: string[];
}

export type StaticHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  /** True when the request's path is under the mount path. */
  matches(url: string | undefined): boolean;
};

// The console talks only to its own origin (and the OIDC provider, when it signs in with one);
// nothing inline, no framing.
function securityHeaders(connectOrigins: string[]) {
  const connect = ["'self'", ...connectOrigins].join(" ");
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": `default-src 'self'; connect-src ${connect}; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
  };
}

/**
 * Serves a single-page app under `mountPath`: files by path, index.html for any path without a file
 * extension (client-side routes), 404 for missing assets, and never a file outside `dir`.
 */
export function createStaticHandler(options: StaticSiteOptions): StaticHandler {
  const mount = options.mountPath.replace(/\/+$/, "");
  if (!/^\/[\w-]+(\/[\w-]+)*$/.test(mount)) throw new Error(`mountPath must look like "/admin", got "${options.mountPath}"`);
  const origins = (options.connectOrigins ?? []).map((o) => new URL(o).origin);
  const SECURITY_HEADERS = securityHeaders(origins);
  const send = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), ...SECURITY_HEADERS });
    res.end(text);
  };
  const root = fs.realpathSync(path.resolve(options.dir));
  const index = path.join(root, "index.html");
  if (!fs.existsSync(index)) throw new Error(`the console directory ${root} has no index.html; build it first (pnpm --filter @keyward/console build)`);

  const matches = (url: string | undefined) => {
    const pathname = (url ?? "/").split("?")[0]!;
    return pathname === mount || pathname.startsWith(mount + "/");
  };

  // Resolves a request path to a regular file inside root, or explains why not.
  async function resolve(rawPath: string): Promise<{ file: string } | { status: 400 | 404 }> {
    let rel: string;
    try {
      rel = decodeURIComponent(rawPath.slice(mount.length));
    } catch {
      return { status: 400 };
    }
    if (rel.includes("\0") || rel.includes("\\") || rel.split("/").some((seg) => seg === "..")) return { status: 400 };
    const candidate = path.join(root, rel);
    let file = candidate;
    try {
      file = await fs.promises.realpath(candidate);
      const stat = await fs.promises.stat(file);
      if (stat.isDirectory()) file = path.join(file, "index.html");
    } catch {
      // A client-side route (no extension) gets the app; a missing asset is a 404.
      return path.extname(rel) === "" ? { file: index } : { status: 404 };
    }
    // A symlink could still point outside the site.
    const inside = path.relative(root, file);
    if (inside.startsWith("..") || path.isAbsolute(inside)) return { status: 404 };
    return fs.existsSync(file) ? { file } : { status: 404 };
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return send(res, 405, "method not allowed");
    }
    const rawPath = (req.url ?? "/").split("?")[0]!;
    if (rawPath === mount) {
      // Relative asset URLs in index.html need the trailing slash.
      res.writeHead(308, { location: mount + "/", ...SECURITY_HEADERS });
      return void res.end();
    }
    const found = await resolve(rawPath);
    if ("status" in found) return send(res, found.status, found.status === 400 ? "bad path" : "not found");
    const body = await fs.promises.readFile(found.file);
    res.writeHead(200, {
      "content-type": contentTypeFor(found.file),
      "content-length": body.length,
      // Vite fingerprints assets; index.html must be revalidated so a new build is picked up.
      "cache-control": found.file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
      ...SECURITY_HEADERS,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  return Object.assign(handler, { matches });
}
