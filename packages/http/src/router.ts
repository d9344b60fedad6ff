import type { OperationId } from "@keyward/spec";
import { HttpProblem } from "./problem.js";
import { specOperations, type SpecOperation } from "./validation/operations.js";

interface CompiledRoute {
  op: SpecOperation;
  regex: RegExp;
}

// A literal segment wins over a parameter (/api/secrets/matrix before /api/secrets/{name}), whatever the spec's order.
const paramCount = (path: string) => (path.match(/\{/g) ?? []).length;
const compiled: CompiledRoute[] = [...specOperations].sort((a, b) => paramCount(a.path) - paramCount(b.path)).map((op) => ({
  op,
  regex: new RegExp("^" + op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\\?\}/g, (_m, p: string) => `(?<${p}>[^/]+)`) + "$"),
}));

export interface Match {
  op: SpecOperation;
  /** Raw (still percent-encoded) path parameters. */
  rawParams: Record<string, string>;
}

/** Finds the spec operation for a method and path; 404 for an unknown path, 405 (with Allow) for a known path and another method. */
export function matchRoute(method: string, pathname: string): Match {
  const onPath = compiled.filter((r) => r.regex.test(pathname));
  const hit = onPath.find((r) => r.op.method === method);
  if (hit) return { op: hit.op, rawParams: { ...(hit.regex.exec(pathname)?.groups ?? {}) } };
  if (onPath.length === 0) throw new HttpProblem(404, "Not found", `no route ${pathname}`);
  throw Object.assign(new HttpProblem(405, "Method not allowed", `${pathname} allows ${onPath.map((r) => r.op.method).join(", ")}`), { allow: onPath.map((r) => r.op.method).join(", ") });
}

export const routeTable = (): { operationId: OperationId; method: string; path: string }[] => specOperations.map((o) => ({ operationId: o.operationId, method: o.method, path: o.path }));
