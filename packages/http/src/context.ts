import type { IncomingMessage, ServerResponse } from "node:http";
import type { OperationId, operations } from "@keyward/spec";
import type { Principal } from "./auth/principal.js";
import type { HttpDeps, HttpOptions } from "./deps.js";
import type { HttpMetrics } from "./metrics.js";
import type { AdminLookups } from "./lookups.js";
import type { AuditWriter, ValueCheck, WriteHints } from "@keyward/db";
import type { RateLimiter } from "@keyward/common";
import type { SecretTypeRegistry } from "@keyward/secret-types";

// Each handler's inputs are typed from its operation in the spec, and were validated against it.
type Or<T, D> = [T] extends [never] ? D : [T] extends [undefined] ? D : T;
type Params<O extends OperationId> = operations[O]["parameters"];
export type QueryOf<O extends OperationId> = Or<NonNullable<Params<O>["query"]>, Record<string, never>>;
export type PathOf<O extends OperationId> = Or<NonNullable<Params<O>["path"]>, Record<string, never>>;
// An optional request body (requestBody.required: false) may be undefined.
export type BodyOf<O extends OperationId> = operations[O] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : operations[O] extends { requestBody?: { content: { "application/json": infer B } } }
    ? B | undefined
    : undefined;

export interface ServerParts {
  deps: HttpDeps;
  options: HttpOptions;
  metrics: HttpMetrics;
  audit: AuditWriter;
  /** Connection tests per (environment, secret). */
  credentialTests: RateLimiter;
  /** Checks a value against its secret's type and declared rules (issue #17); passed to every value write. */
  checkValue: ValueCheck;
  /** The types the server knows (built-in and custom): a secret's type must be one of them. */
  secretTypes: SecretTypeRegistry;
  /** The admin key behind a bearer and the environment a request acts in, cached while the change feed is live. */
  lookups: AdminLookups;
  /** What this process last wrote of each secret, so its next value is one statement (`setSecretValue`'s hints). */
  writeHints: WriteHints;
}

/** What a route handler receives: validated, typed inputs and the authenticated caller. */
export interface RouteContext<O extends OperationId = OperationId> extends ServerParts {
  operationId: O;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  /** Undefined only on public operations. */
  principal: Principal | undefined;
  path: PathOf<O>;
  query: QueryOf<O>;
  body: BodyOf<O>;
}
export type RouteHandler<O extends OperationId> = (ctx: RouteContext<O>) => Promise<void>;

/** The authenticated caller of a guarded operation. */
export function callerOf(ctx: RouteContext): Principal {
  if (!ctx.principal) throw new Error(`${ctx.operationId} is public and has no caller`);
  return ctx.principal;
}
