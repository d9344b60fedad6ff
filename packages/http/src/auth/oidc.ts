import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { AdminRole } from "@keyward/spec";
import type { Principal } from "./principal.js";
import { ROLES } from "./permissions.js";

export interface OidcOptions {
  /** Where the identity provider publishes its signing keys. */
  jwksUrl: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
  /** The claim that carries the role (a dotted path, e.g. realm_access.roles); a string or a list. Default "keyward_role". */
  roleClaim?: string;
  /** Claim values → roles, e.g. { "secrets-admins": "admin" }; without it a value must be a role name. */
  roleMap?: Record<string, AdminRole>;
  /** Accepted signature algorithms (default RS256, ES256, EdDSA). */
  algorithms?: string[];
}

export type OidcResult = { kind: "ok"; principal: Principal } | { kind: "invalid"; problem: string } | { kind: "no_role"; problem: string };

function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), payload);
}

/** Verifies JWT bearers against a JWKS URL (cached and refreshed by jose) and maps a claim to a role. */
export function createOidcVerifier(options: OidcOptions): (token: string) => Promise<OidcResult> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const roleClaim = options.roleClaim ?? "keyward_role";
  const toRole = (value: string): AdminRole | undefined => (options.roleMap ? options.roleMap[value] : (ROLES as readonly string[]).includes(value) ? (value as AdminRole) : undefined);
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
        algorithms: options.algorithms ?? ["RS256", "ES256", "EdDSA"],
      }));
    } catch (error) {
      // jose's codes name the failure (expired, bad signature, wrong issuer) without echoing the token.
      const code = error instanceof joseErrors.JOSEError ? error.code : "ERR_JWT_INVALID";
      return { kind: "invalid", problem: `the bearer JWT was refused (${code})` };
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) return { kind: "invalid", problem: "the bearer JWT has no sub claim" };
    const raw = claimAt(payload, roleClaim);
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
    const roles = new Set(values.map(toRole).filter((r): r is AdminRole => r !== undefined));
    const role = ROLES.find((r) => roles.has(r));
    if (!role) return { kind: "no_role", problem: `the JWT's ${roleClaim} claim names no Keyward role` };
    const name = typeof payload.email === "string" ? payload.email : typeof payload.name === "string" ? payload.name : payload.sub;
    return { kind: "ok", principal: { id: payload.sub, name, role, via: "oidc", actor: `oidc:${payload.sub}` } };
  };
}
