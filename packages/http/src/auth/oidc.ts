import { insecureUrlProblem, KeywardError, systemClock, type Clock } from "@keyward/common";
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { AdminRole } from "@keyward/spec";
import { createProviderKeys, OidcDiscoveryError } from "./oidc-discovery.js";
import type { Principal } from "./principal.js";
import { ROLES } from "./permissions.js";

export const DEFAULT_OIDC_MAX_TOKEN_AGE_SECONDS = 3600;
/** Clock skew allowed between the provider and this server on exp, nbf and iat. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface OidcOptions {
  /** The `iss` every token must carry: the provider's issuer URL (https, or http on loopback). */
  issuer: string;
  /** The `aud` every token must carry (the console's client id when `console` is set). */
  audience: string;
  /** Where the provider publishes its signing keys (https, or http on loopback); default: the jwks_uri of `{issuer}/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** The longest a token may live (exp − iat) and its greatest age (now − iat), in seconds (default 3600). */
  maxTokenAgeSeconds?: number;
  /** The claim that carries the role (a dotted path, e.g. realm_access.roles); a string or a list. Default "keyward_role". */
  roleClaim?: string;
  /**
   * Claim values → roles, e.g. { "secrets-admins": "admin" }; without it a value must be a role name.
   * A role may be scoped to environments: "operator@development" or "viewer@staging+production".
   */
  roleMap?: Record<string, string>;
  /** Accepted signature algorithms (default RS256, ES256, EdDSA). */
  algorithms?: string[];
  /** The admin console's public client: `GET /api/auth/config` offers it, and the console signs in with it. */
  console?: { clientId: string; scopes?: string[]; providerName?: string };
}

export type OidcResult =
  | { kind: "ok"; principal: Principal }
  | { kind: "invalid"; problem: string }
  | { kind: "no_role"; problem: string }
  | { kind: "unavailable"; problem: string };

function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), payload);
}

/** Refuses options that would accept tokens for any audience or issuer, or keys fetched over plain http. */
function checkOptions(options: OidcOptions): void {
  const bad = (field: string, problem: string) => new KeywardError("config", `oidc.${field} ${problem}`, { field: `oidc.${field}` });
  if (!options.issuer) throw bad("issuer", "is required: the issuer URL every token's iss must equal");
  if (!options.audience) throw bad("audience", "is required: the aud every token must carry");
  for (const field of ["issuer", "jwksUrl"] as const) {
    const problem = options[field] === undefined ? undefined : insecureUrlProblem(options[field]);
    if (problem) throw bad(field, problem);
  }
  const age = options.maxTokenAgeSeconds;
  if (age !== undefined && !(Number.isInteger(age) && age > 0)) throw bad("maxTokenAgeSeconds", "must be a positive whole number of seconds");
  if (options.console && options.console.clientId !== options.audience) throw bad("audience", `must equal oidc.console.clientId ("${options.console.clientId}"): the console sends its ID token, whose aud is the client id`);
}

/**
 * Verifies JWT bearers: signed by the provider's keys, from the configured issuer, for the
 * configured audience, with exp and iat, not older nor longer-lived than the maximum token age;
 * then maps a claim to a role.
 */
export function createOidcVerifier(options: OidcOptions, clock: Clock = systemClock): (token: string) => Promise<OidcResult> {
  checkOptions(options);
  const keys = createProviderKeys(options);
  const maxAge = options.maxTokenAgeSeconds ?? DEFAULT_OIDC_MAX_TOKEN_AGE_SECONDS;
  const roleClaim = options.roleClaim ?? "keyward_role";
  const grantOf = (value: string): Grant | undefined => (options.roleMap ? (Object.hasOwn(options.roleMap, value) ? parseRoleGrant(options.roleMap[value]!) : undefined) : parseRoleGrant(value, false));
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["exp", "iat"],
        maxTokenAge: maxAge,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: clock.now(),
        algorithms: options.algorithms ?? ["RS256", "ES256", "EdDSA"],
      }));
    } catch (error) {
      if (error instanceof OidcDiscoveryError) return { kind: "unavailable", problem: error.message };
      // jose's code, and for a claim its name and why (missing, check_failed): never the token or a claim's value.
      const code = error instanceof joseErrors.JOSEError ? error.code : "ERR_JWT_INVALID";
      const claim = error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired ? `: ${error.claim} ${error.reason}` : "";
      return { kind: "invalid", problem: `the bearer JWT was refused (${code}${claim})` };
    }
    // jose bounds the age (now − iat); a token minted to live longer than that is refused too.
    if (payload.exp! - payload.iat! > maxAge) return { kind: "invalid", problem: `the bearer JWT lives ${payload.exp! - payload.iat!} s (exp − iat), longer than the maximum token age of ${maxAge} s` };
    if (typeof payload.sub !== "string" || payload.sub.length === 0) return { kind: "invalid", problem: "the bearer JWT has no sub claim" };
    const raw = claimAt(payload, roleClaim);
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
    const grants = values.map(grantOf).filter((g): g is Grant => g !== undefined);
    const role = ROLES.find((r) => grants.some((g) => g.role === r));
    if (!role) return { kind: "no_role", problem: `the JWT's ${roleClaim} claim names no Keyward role` };
    // The highest role wins; its scope is the union of the values granting it (one unscoped = every environment).
    const scoped = grants.filter((g) => g.role === role);
    const environments = scoped.some((g) => !g.environments) ? undefined : [...new Set(scoped.flatMap((g) => g.environments!))];
    const name = typeof payload.email === "string" ? payload.email : typeof payload.name === "string" ? payload.name : payload.sub;
    return { kind: "ok", principal: { id: payload.sub, name, role, via: "oidc", actor: `oidc:${payload.sub}`, ...(environments ? { environments } : {}) } };
  };
}

type Grant = { role: AdminRole; environments?: string[] };

/**
 * A role mapping's value: "admin", or a role scoped to environments, "operator@development" /
 * "viewer@staging+production". Undefined for anything else (a claim value is not trusted to scope,
 * so without a role map only a bare role name counts).
 */
export function parseRoleGrant(value: string, allowScope = true): Grant | undefined {
  const m = /^([a-z]+)(?:@([a-z][a-z0-9-]{0,62}(?:\+[a-z][a-z0-9-]{0,62})*))?$/.exec(value);
  if (!m || !(ROLES as readonly string[]).includes(m[1]!)) return undefined;
  if (m[2] === undefined) return { role: m[1] as AdminRole };
  return allowScope ? { role: m[1] as AdminRole, environments: m[2].split("+") } : undefined;
}
