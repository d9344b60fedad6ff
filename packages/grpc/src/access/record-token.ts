import { sql } from "kysely";
import { countPendingServiceTokens, getServiceTokenByHash, inAuditedTransaction, registerServiceToken, type RegistrationIdentity, type ServiceToken } from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import type { GrpcRuntime } from "../runtime.js";

export type RecordedToken = { kind: "ok"; token: ServiceToken; created: boolean } | { kind: "limit"; scope: "service" | "address"; max: number };

// Serialises the pending-token caps per service name, then per address (always in that order).
const TOKENS_LOCK = 0x6b77746b; // "kwtk"

/**
 * The token's row: the existing one (registering never changes it), or a new pending one with who
 * registered it, committed with its audit row. A new one is refused once its service name has
 * `maxPendingTokensPerService` pending tokens, or its address `maxPendingTokensPerPeer`, so a
 * caller cannot fill the admin's queue with made-up tokens.
 */
export function recordToken(rt: GrpcRuntime, call: AuditedCall, input: { tokenHash: string; serviceName: string; serviceVersion: string; identity: RegistrationIdentity }): Promise<RecordedToken> {
  return inAuditedTransaction(rt.deps.db, rt.deps.auditKey, async (trx, audit): Promise<RecordedToken> => {
    const existing = await getServiceTokenByHash(trx, input.tokenHash);
    if (existing) return { kind: "ok", token: existing, created: false };
    await sql`select pg_advisory_xact_lock(${TOKENS_LOCK}, hashtext(${input.serviceName}))`.execute(trx);
    const max = { service: rt.options.maxPendingTokensPerService, address: rt.options.maxPendingTokensPerPeer };
    if ((await countPendingServiceTokens(trx, { serviceName: input.serviceName })) >= max.service) return { kind: "limit", scope: "service", max: max.service };
    const peer = input.identity.peerAddress;
    if (peer !== undefined) {
      await sql`select pg_advisory_xact_lock(${TOKENS_LOCK}, hashtext(${"peer " + peer}))`.execute(trx);
      if ((await countPendingServiceTokens(trx, { peerAddress: peer })) >= max.address) return { kind: "limit", scope: "address", max: max.address };
    }
    const registered = await registerServiceToken(trx, { ...input, at: rt.deps.clock.now() });
    if (registered.created) audit(rt.audit.rowOf(call, { actorId: `${input.serviceName}#${registered.token.id}`, action: "token.register", target: `token:${registered.token.id}`, result: "created" }));
    return { kind: "ok", ...registered };
  });
}
