import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, expect } from "vitest";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock, type Clock } from "@keyward/common";
import { createAdminKey, createAuditWriter, createChangeHub, type ChangeHub, type Database, type KeywardDatabase } from "@keyward/db";
import type { Kysely } from "kysely";
import { createPgliteTemplate, createPostgresTestDatabases } from "@keyward/db/testing";
import type { AdminRole } from "@keyward/spec";
import { createSpecValidator, startHttpServer, type HttpDeps, type HttpOptions, type RunningHttpServer } from "../src/index.js";
import { matchRoute } from "../src/router.js";

const validator = createSpecValidator();
const freshPglite = createPgliteTemplate();
const postgres = createPostgresTestDatabases({ prefix: "keyward_http" });
const freshPostgres = () => postgres.fresh();
afterAll(() => postgres.dropAll());

export const backends = ["pglite", "postgres"] as const;
export type Backend = (typeof backends)[number];

export interface CallResult {
  status: number;
  type: string | null;
  requestId: string | null;
  headers: Headers;
  text: string;
  json: any;
}

export interface Api {
  base: string;
  kdb: KeywardDatabase;
  envelope: ReturnType<typeof createEnvelope>;
  auditKey: Uint8Array;
  /** An active admin key per role (the owner one is the bootstrap key). */
  tokens: Record<AdminRole, string>;
  /** Every response body and every log line so far, to assert no value ever appears. */
  bodies: string[];
  logs(): string;
  call(method: string, path: string, init?: { body?: unknown; token?: string | null; contentType?: string; headers?: Record<string, string> }): Promise<CallResult>;
  close(): Promise<void>;
}

/**
 * The admin API on loopback (port 0) over a fresh PGlite clone or PostgreSQL database, with one key
 * per role. Every response of a spec operation is checked against the spec's schema for its status.
 */
export async function startApi(
  options: {
    backend?: Backend;
    http?: HttpOptions;
    clock?: Clock;
    readiness?: HttpDeps["readiness"];
    credentialTester?: HttpDeps["credentialTester"];
    secretTypes?: HttpDeps["secretTypes"];
    /** The routes see this db (e.g. one that fails on cue); audit rows still go to the real one. */
    wrapDb?: (db: Kysely<Database>) => Kysely<Database>;
    /** The audit writer (whose transactions every change runs in) sees this db, e.g. one that pauses on cue. */
    wrapAuditDb?: (db: Kysely<Database>) => Kysely<Database>;
    /**
     * Give the server a change feed (as the service does): admin keys and environments are then
     * cached. "silent": a feed that is live but never announces anything, so only the server's own
     * bookkeeping (and the entries' age) drops what it cached.
     */
    changes?: boolean | "silent";
  } = {},
): Promise<Api> {
  const kdb = options.backend === "postgres" ? await freshPostgres() : await freshPglite();
  const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
  const auditKey = randomBytes(32);
  let logText = "";
  const destination = new Writable({ write: (c, _e, cb) => ((logText += c.toString()), cb()) });
  const tokens = {} as Record<AdminRole, string>;
  for (const role of ["owner", "admin", "operator", "viewer", "auditor"] as const) {
    tokens[role] = generateToken(ADMIN_TOKEN_PREFIX);
    await createAdminKey(kdb.db, { name: `${role}-key`, role, keyHash: hashToken(tokens[role]), actor: "system", at: new Date() });
  }
  const logger = createLogger({ destination, level: "debug" });
  const silent: ChangeHub = { add: () => () => undefined, state: "live", close: async () => undefined };
  const changes: ChangeHub | undefined = options.changes === "silent" ? silent : options.changes ? await createChangeHub(kdb, logger, { heartbeatMs: 1000 }) : undefined;
  const server: RunningHttpServer = await startHttpServer(
    {
      ...(changes ? { changes } : {}),
      db: options.wrapDb ? options.wrapDb(kdb.db) : kdb.db,
      ...(options.wrapDb || options.wrapAuditDb ? { auditWriter: createAuditWriter({ db: options.wrapAuditDb ? options.wrapAuditDb(kdb.db) : kdb.db, auditKey }) } : {}),
      envelope,
      auditKey,
      logger,
      clock: options.clock ?? systemClock,
      ...(options.readiness ? { readiness: options.readiness } : {}),
      ...(options.credentialTester ? { credentialTester: options.credentialTester } : {}),
      ...(options.secretTypes ? { secretTypes: options.secretTypes } : {}),
    },
    // Tests send far more than an admin would, all from 127.0.0.1: the limits are lifted here and
    // tested on their own (rate-limits.test.ts).
    { host: "127.0.0.1", port: 0, rateLimitPerSecond: 100_000, authFailuresPerMinute: 100_000, ...options.http },
  );
  const base = `http://127.0.0.1:${server.port}`;
  const bodies: string[] = [];
  const call: Api["call"] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== null) headers.authorization ??= `Bearer ${init.token ?? tokens.owner}`;
    if (init.body !== undefined) headers["content-type"] ??= init.contentType ?? "application/json";
    const res = await fetch(base + path, { method, headers, body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body) });
    const text = await res.text();
    bodies.push(text);
    const type = res.headers.get("content-type");
    const json = type && /json/.test(type) && !/ndjson/.test(type) && text ? JSON.parse(text) : undefined;
    // Every response of a known operation must match the spec.
    let operationId: string | undefined;
    try {
      operationId = matchRoute(method, new URL(base + path).pathname).op.operationId;
    } catch {
      operationId = undefined;
    }
    if (operationId && method !== "OPTIONS") {
      const mismatch = validator.response(operationId as never, res.status, type, json ?? (text === "" && !type ? undefined : text));
      expect(mismatch, `${method} ${path} → ${res.status}`).toBeUndefined();
    }
    return { status: res.status, type, requestId: res.headers.get("x-request-id"), headers: res.headers, text, json };
  };
  return {
    base,
    kdb,
    envelope,
    auditKey,
    tokens,
    bodies,
    logs: () => logText,
    call,
    close: async () => {
      await server.close();
      await changes?.close();
      await kdb.close();
    },
  };
}

/** Asserts a problem+json response with this status (and field, when given). */
export function expectProblem(r: CallResult, status: number, field?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.type).toBe("application/problem+json");
  expect(r.json).toMatchObject({ status, requestId: r.requestId });
  if (field !== undefined) expect(r.json.field, r.text).toBe(field);
}
