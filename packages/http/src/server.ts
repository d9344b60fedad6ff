import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { ADMIN_TOKEN_PREFIX, hashesEqual, hashToken, tokenShapeProblem } from "@keyward/common";
import { getAdminKeyByHash, type AdminApiKey } from "@keyward/db";
import type { RouteContext } from "./context.js";
import type { HttpDeps } from "./deps.js";
import { HttpProblem, sendJson, sendProblem } from "./problem.js";
import { routes } from "./routes/index.js";

export const MAX_BODY_BYTES = 128 * 1024;

const compiled = routes.map((r) => ({
  ...r,
  regex: new RegExp("^" + r.path.replace(/\{(\w+)\}/g, (_m, p: string) => `(?<${p}>[^/]+)`) + "$"),
}));

async function readBody(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) throw new HttpProblem(415, "Unsupported media type", "send the body as application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, "Body too large", `the limit is ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpProblem(400, "Invalid JSON", "the body is not valid JSON");
  }
}

async function authenticateAdmin(deps: HttpDeps, req: IncomingMessage): Promise<AdminApiKey> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer (.+)$/.exec(header) : null;
  if (!match) throw new HttpProblem(401, "Unauthenticated", 'send the admin token as "Authorization: Bearer kwa_…"', "authorization");
  const problem = tokenShapeProblem(match[1]!, ADMIN_TOKEN_PREFIX);
  if (problem) throw new HttpProblem(401, "Unauthenticated", problem, "authorization");
  const hash = hashToken(match[1]!);
  const key = await getAdminKeyByHash(deps.db, hash);
  if (!key || !hashesEqual(key.key_hash, hash)) throw new HttpProblem(401, "Unauthenticated", "unknown or revoked admin token", "authorization");
  return key;
}

/** The admin API as a request listener: routes, auth, problem+json errors and a request id on every response. */
export function createAdminHandler(deps: HttpDeps) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
      const route = compiled.find((r) => r.regex.test(url.pathname) && r.method === req.method);
      if (!route) {
        const pathMatches = compiled.some((r) => r.regex.test(url.pathname));
        throw new HttpProblem(pathMatches ? 405 : 404, pathMatches ? "Method not allowed" : "Not found", `${req.method} ${url.pathname}`);
      }
      const admin = await authenticateAdmin(deps, req);
      const params = Object.fromEntries(Object.entries(route.regex.exec(url.pathname)?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      const ctx: RouteContext = { deps, req, res, url, params, admin, requestId, body: () => readBody(req) };
      await route.handler(ctx);
    } catch (error) {
      if (error instanceof HttpProblem) return sendProblem(res, error, requestId);
      deps.logger.error({ requestId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "request failed");
      sendProblem(res, new HttpProblem(500, "Internal error"), requestId);
    }
  };
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(deps: HttpDeps, options: { host: string; port: number }): Promise<RunningHttpServer> {
  const handler = createAdminHandler(deps);
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(options.port, options.host, resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
