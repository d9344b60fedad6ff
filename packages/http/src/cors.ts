import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpProblem } from "./problem.js";

export interface CorsOptions {
  /** Exact origins (e.g. https://admin.example.com), or "*" for any. */
  origins: string[] | "*";
  /** Seconds a browser may cache a preflight (default 600). */
  maxAgeSeconds?: number;
}

/**
 * Adds CORS headers for allowed origins and answers preflights. Bearer tokens, not cookies, so
 * credentials are never allowed. Returns true when the request was a preflight and is answered.
 */
export function applyCors(options: CorsOptions | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed = options !== undefined && typeof origin === "string" && (options.origins === "*" || options.origins.includes(origin));
  if (allowed) {
    res.setHeader("access-control-allow-origin", options.origins === "*" ? "*" : origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-expose-headers", "x-request-id");
  }
  if (req.method !== "OPTIONS") return false;
  if (!allowed) throw new HttpProblem(403, "Origin not allowed", typeof origin === "string" ? "this origin is not in the server's CORS origins" : "OPTIONS is only for CORS preflights", "origin");
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE");
  res.setHeader("access-control-allow-headers", "authorization, content-type");
  res.setHeader("access-control-max-age", String(options.maxAgeSeconds ?? 600));
  res.writeHead(204);
  res.end();
  return true;
}
