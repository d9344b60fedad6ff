import { ADMIN_TOKEN_PREFIX, hashesEqual, hashToken, tokenShapeProblem } from "@keyward/common";
import { recordAdminKeyUse, type AdminApiKey } from "@keyward/db";
import type { IncomingMessage } from "node:http";
import type { HttpDeps } from "../deps.js";
import { HttpProblem } from "../problem.js";
import type { OidcResult } from "./oidc.js";
import type { Principal } from "./principal.js";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const unauthenticated = (detail: string) => new HttpProblem(401, "Unauthenticated", detail, "authorization");

/** Reads the bearer: a kwa_ admin key (looked up by hash, compared in constant time) or, when configured, an OIDC JWT. */
export async function authenticate(
  deps: HttpDeps,
  req: IncomingMessage,
  verifyJwt: ((token: string) => Promise<OidcResult>) | undefined,
  /** The active admin key with this hash (AdminLookups.adminKeyByHash: cached when a change feed is live). */
  keyByHash: (hash: string) => Promise<AdminApiKey | undefined>,
  touched: Map<string, number> = new Map(),
): Promise<Principal> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer ([^\s]+)$/i.exec(header) : null;
  if (!match) throw unauthenticated(`send "Authorization: Bearer kwa_…"${verifyJwt ? " or an OIDC JWT" : ""}`);
  const token = match[1]!;
  if (verifyJwt && !token.startsWith(ADMIN_TOKEN_PREFIX) && JWT_SHAPE.test(token)) {
    const result = await verifyJwt(token);
    switch (result.kind) {
      case "ok":
        return result.principal;
      case "invalid":
        throw unauthenticated(result.problem);
      case "no_role":
        throw new HttpProblem(403, "Forbidden", result.problem, "authorization");
      case "unavailable":
        // The provider's address and why, for the operator; the caller learns only that it is down.
        deps.logger.warn({ problem: result.problem }, "OIDC provider discovery failed");
        throw new HttpProblem(503, "Identity provider unavailable", "the identity provider's keys could not be read; see the server log", "authorization");
    }
  }
  const problem = tokenShapeProblem(token, ADMIN_TOKEN_PREFIX);
  if (problem) throw unauthenticated(problem);
  const hash = hashToken(token);
  const key = await keyByHash(hash);
  if (!key || !hashesEqual(key.key_hash, hash)) throw unauthenticated("unknown or revoked admin key");
  // last_used_at is minute-grained; remembering the last stamp skips a write on most requests.
  const now = deps.clock.now();
  if (now.getTime() - (touched.get(key.id) ?? 0) >= 60_000) {
    touched.set(key.id, now.getTime());
    await recordAdminKeyUse(deps.db, key.id, now);
  }
  return { id: key.id, name: key.name, role: key.role, via: "api_key", actor: `admin:${key.id}`, owner: key.owner ?? null, ...(key.environments ? { environments: key.environments } : {}) };
}
