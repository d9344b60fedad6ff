// The synthetic audit rows seedAuditLog writes (issue #21): what a busy instance's log holds, in
// roughly its proportions. Deterministic (xorshift from a seed), so a benchmark's rows are the same
// from run to run. Names and ids only; no row carries a value or a token.
import type { NewAuditRow } from "../schema.js";

const ENVIRONMENTS = ["production", "production", "production", "staging", "development"] as const;
const READ_REFUSALS = ["not_granted", "access_pending", "unknown_secret", "token_revoked", "token_expired"] as const;
const ADMIN_CHANGES = [
  { action: "secret.value.set", target: (n: string) => `secret:${n}`, result: "ok" },
  { action: "access.grant", target: (n: string) => `access:${n}`, result: "granted" },
  { action: "token.approve", target: (n: string) => `token:${n}`, result: "approved" },
  { action: "secret.describe", target: (n: string) => `secret:${n}`, result: "ok" },
  { action: "token.revoke", target: (n: string) => `token:${n}`, result: "revoked" },
] as const;

/** Counts the generator spreads rows over. */
export interface AuditSeedPopulation {
  /** Distinct services (one token each) that read (default 2,000). */
  services: number;
  /** Distinct secret names read (default 20,000). */
  secrets: number;
  /** Distinct admins making changes (default 12). */
  admins: number;
}

export const DEFAULT_AUDIT_SEED_POPULATION: AuditSeedPopulation = { services: 2000, secrets: 20_000, admins: 12 };

/** A row generator: call it with each row's time, in order. */
export type AuditRowSource = (at: Date) => NewAuditRow;

/**
 * Rows in these proportions: 93% single secret.read ok (service tokens over many secrets), 2%
 * GetSecrets batches (one row for the names read, with a count), 3% refused reads, 1% aggregated
 * refusals of unknown callers, 1% admin changes.
 */
export function createAuditRowSource(population: AuditSeedPopulation = DEFAULT_AUDIT_SEED_POPULATION, seed = 0x2545f491): AuditRowSource {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const pick = <T>(items: readonly T[]) => items[next() % items.length]!;
  const secretName = () => `APP_SECRET_${String(next() % population.secrets).padStart(6, "0")}`;
  const service = () => {
    const s = next() % population.services;
    return { id: `svc-${s}#tok_${(s * 2654435761 >>> 0).toString(16).padStart(8, "0")}`, ip: `ipv4:10.${(s >> 8) & 255}.${s & 255}.${1 + (s % 200)}:${40000 + (next() % 20000)}` };
  };
  const requestId = () => (next() % 4 === 0 ? null : `req-${next().toString(16).padStart(8, "0")}${next().toString(16).padStart(8, "0")}`);
  const userAgent = "grpc-node-js/1.14.7";

  return (at) => {
    const roll = next() % 100;
    if (roll < 93) {
      const s = service();
      return { at, actor_type: "service", actor_id: s.id, action: "secret.read", target: `secret:${secretName()}`, result: "ok", reason: null, ip: s.ip, user_agent: userAgent, request_id: requestId(), environment: pick(ENVIRONMENTS) };
    }
    if (roll < 95) {
      const s = service();
      const names = Array.from({ length: 2 + (next() % 8) }, secretName);
      return { at, actor_type: "service", actor_id: s.id, action: "secret.read", target: `secrets:${names.join(",")}`, result: "ok", reason: null, ip: s.ip, user_agent: userAgent, request_id: requestId(), count: names.length, environment: pick(ENVIRONMENTS) };
    }
    if (roll < 98) {
      const s = service();
      return { at, actor_type: "service", actor_id: s.id, action: "secret.read", target: `secret:${secretName()}`, result: "refused", reason: pick(READ_REFUSALS), ip: s.ip, user_agent: userAgent, request_id: requestId(), environment: pick(ENVIRONMENTS) };
    }
    if (roll < 99) {
      return { at, actor_type: "service", actor_id: "anonymous", action: "secret.read", target: `secret:${secretName()}`, result: "refused", reason: "unauthenticated", ip: `ipv4:192.0.2.${next() % 255}:${40000 + (next() % 20000)}`, user_agent: null, request_id: null, count: 1 + (next() % 50), environment: null };
    }
    const change = pick(ADMIN_CHANGES);
    const admin = next() % population.admins;
    return { at, actor_type: "admin", actor_id: `admin-${admin}`, action: change.action, target: change.target(secretName()), result: change.result, reason: null, ip: `127.0.0.${1 + admin}`, user_agent: "Mozilla/5.0 (X11; Linux x86_64) keyward-console", request_id: requestId(), environment: pick(ENVIRONMENTS) };
  };
}
