import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import https from "node:https";
import { isKeywardError } from "@keyward/common";
import { createAuditWriter, createWriteHints } from "@keyward/db";
import { createAdminLookups } from "./lookups.js";
import type { OperationId } from "@keyward/spec";
import { authenticate } from "./auth/authenticate.js";
import { createOidcVerifier } from "./auth/oidc.js";
import { isAllowed } from "./auth/permissions.js";
import type { Principal } from "./auth/principal.js";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body.js";
import { createStaticHandler } from "./console/index.js";
import type { RouteContext, RouteHandler, ServerParts } from "./context.js";
import { applyCors } from "./cors.js";
import type { HttpDeps, HttpOptions } from "./deps.js";
import { createValueCheck } from "./values/index.js";
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import { createHttpMetrics } from "./metrics.js";
import { HttpProblem, sendProblem } from "./problem.js";
import { createCredentialTestLimiter, createRequestLimits } from "./rate-limits.js";
import { matchRoute } from "./router.js";
import { handlers } from "./routes/index.js";
import { createSpecValidator, isFieldProblem } from "./validation/spec-validator.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Operations outside the per-address request limit: health, readiness and metrics. */
const UNLIMITED: ReadonlySet<OperationId> = new Set<OperationId>(["getHealth", "getReadiness", "getMetrics"]);

function decodeParams(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => {
      try {
        return [k, decodeURIComponent(v)];
      } catch {
        throw new HttpProblem(400, "Invalid path parameter", `${k} is not valid percent-encoding`, k);
      }
    }),
  );
}

function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in out) throw new HttpProblem(400, "Invalid query parameter", `query parameter ${k} is repeated`, k);
    out[k] = v;
  }
  return out;
}

export interface AdminHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Flushes and closes the audit writer the handler made (a shared one is left to its owner). */
  close(): Promise<void>;
}

/**
 * The admin API as a request listener. Every request: a request id, CORS, route lookup from the
 * spec, authentication, the role check, ajv validation of path, query and body against the spec,
 * then the operation's handler; failures are application/problem+json naming the field at fault.
 */
export function createAdminHandler(deps: HttpDeps, options: HttpOptions = {}): AdminHandler {
  const validator = createSpecValidator();
  const verifyJwt = options.oidc ? createOidcVerifier(options.oidc, deps.clock) : undefined;
  const ownWriter = deps.auditWriter ? undefined : createAuditWriter({ db: deps.db, auditKey: deps.auditKey });
  const secretTypes = deps.secretTypes ?? createNodeSecretTypeRegistry();
  const checkValue = createValueCheck(secretTypes);
  const parts: ServerParts = {
    deps,
    options,
    metrics: createHttpMetrics(),
    audit: deps.auditWriter ?? ownWriter!,
    checkValue,
    secretTypes,
    credentialTests: createCredentialTestLimiter(options),
    writeHints: createWriteHints(),
    lookups: createAdminLookups({ db: deps.db, clock: deps.clock, ...(deps.changes ? { changes: deps.changes } : {}), ...(options.cacheMaxAgeMs !== undefined ? { maxAgeMs: options.cacheMaxAgeMs } : {}) }),
  };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const touchedKeys = new Map<string, number>();
  const limits = createRequestLimits(options);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    let route = "unmatched";
    let ctx: RouteContext | undefined;
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      parts.metrics.observe({ method: req.method ?? "", route, status: res.statusCode }, seconds);
      // Route templates only: a query string or path could carry something that must not be logged.
      deps.logger.debug({ requestId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), actor: ctx?.principal?.actor }, "http request");
    });
    try {
      if (applyCors(options.cors, req, res)) return;
      const url = new URL(req.url ?? "/", "http://localhost");
      const { op, rawParams } = matchRoute(req.method ?? "GET", url.pathname);
      route = op.path;
      const address = req.socket.remoteAddress ?? "unknown";
      // Probes and scrapes stay answerable under a flood, so an orchestrator does not restart a busy replica.
      if (!UNLIMITED.has(op.operationId)) limits.admit(address);
      let principal: Principal | undefined;
      if (!op.public) {
        limits.admitSignIn(address);
        try {
          principal = await authenticate(deps, req, verifyJwt, parts.lookups.adminKeyByHash, touchedKeys);
        } catch (error) {
          if (error instanceof HttpProblem && error.status === 401) limits.failedSignIn(address);
          throw error;
        }
      }
      ctx = { ...parts, operationId: op.operationId, req, res, requestId, principal, path: {}, query: {}, body: undefined } as RouteContext;
      if (principal && !isAllowed(op.operationId, principal.role)) {
        await ctx.audit.append({ at: deps.clock.now(), actor_type: principal.via === "oidc" ? "oidc" : "admin", actor_id: principal.actor, action: "admin.forbidden", target: `operation:${op.operationId}`, result: "refused", reason: `role ${principal.role}`, ip: req.socket.remoteAddress ?? null, user_agent: null, request_id: requestId });
        throw new HttpProblem(403, "Forbidden", `the ${principal.role} role may not call ${op.operationId}`, "role");
      }
      const body = await readJsonBody(req, maxBody);
      const input = validator.request(op.operationId, { path: decodeParams(rawParams), query: queryObject(url), body });
      if (isFieldProblem(input)) throw new HttpProblem(400, `Invalid ${input.location === "body" ? "body" : `${input.location} parameter`}`, input.message, input.field);
      Object.assign(ctx, input);
      await (handlers[op.operationId] as RouteHandler<OperationId>)(ctx);
    } catch (error) {
      if (res.headersSent) {
        deps.logger.error({ requestId, route, err: error instanceof Error ? error.name : "error" }, "response failed after headers were sent");
        res.destroy();
        return;
      }
      if (error instanceof HttpProblem) {
        const { allow, retryAfter } = error as HttpProblem & { allow?: string; retryAfter?: number };
        if (allow) res.setHeader("allow", allow);
        if (retryAfter) res.setHeader("retry-after", String(retryAfter));
        return sendProblem(res, error, requestId);
      }
      if (isKeywardError(error) && error.code === "invalid_argument") return sendProblem(res, new HttpProblem(400, "Invalid request", error.message, error.field), requestId);
      // Only the error's name and message: neither carries a value, and nothing of the request is logged.
      deps.logger.error({ requestId, route, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "request failed");
      sendProblem(res, new HttpProblem(500, "Internal error", `see the server log for request ${requestId}`), requestId);
    }
  };
  return Object.assign(handle, {
    close: async () => {
      parts.lookups.close();
      await ownWriter?.close();
    },
  });
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

/** HTTPS for the listener: PEM certificate chain and private key. */
export interface HttpTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface HttpServerOptions extends HttpOptions {
  host: string;
  port: number;
  /** A built admin console, served at /admin. */
  consoleDir?: string;
  /** Serve HTTPS (TLS 1.2 or later) instead of plain HTTP. */
  tls?: HttpTlsOptions;
}

export async function startHttpServer(deps: HttpDeps, options: HttpServerOptions): Promise<RunningHttpServer> {
  // The console signing in with OIDC fetches the provider's discovery document and token endpoint.
  const connectOrigins = options.oidc?.console ? [options.oidc.issuer] : [];
  const serveConsole = options.consoleDir ? createStaticHandler({ dir: options.consoleDir, mountPath: "/admin", connectOrigins }) : undefined;
  const listener: RequestListener = (req, res) => void (serveConsole?.matches(req.url) ? serveConsole(req, res).catch(() => res.writableEnded || res.destroy()) : handler(req, res));
  // Created before the handler: a bad certificate or key throws here, before an audit writer exists.
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" }, listener) : http.createServer(listener);
  const handler = createAdminHandler(deps, options);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(options.port, options.host, resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await handler.close();
    },
  };
}
