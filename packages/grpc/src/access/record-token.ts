import { sql } from "kysely";
import {
  applyRulesToNewToken,
  countPendingServiceTokens,
  getDefaultEnvironment,
  getServiceTokenByHash,
  consoleLinks,
  inAuditedTransaction,
  recordEvent,
  registerServiceToken,
  type Environment,
  type RegistrationIdentity,
  type ServiceToken,
} from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import type { GrpcRuntime } from "../runtime.js";

export type RecordedToken =
  | { kind: "ok"; token: ServiceToken; environment: string; created: boolean }
  | { kind: "limit"; scope: "service" | "address"; max: number }
  /** The token is bound to another environment than the one the caller named. */
  | { kind: "mismatch"; token: ServiceToken; bound: string };

// Serialises the pending-token caps per service name, then per address (always in that order).
const TOKENS_LOCK = 0x6b77746b; // "kwtk"

/**
 * The token's row: the existing one (registering never changes it, nor its environment), or a new
 * pending one bound to `environment` (the instance's default when the caller named none), with who
 * registered it, committed with its audit row. A known token named with another environment is a
 * `mismatch`. A new one is refused once its service name has `maxPendingTokensPerService` pending
 * tokens in that environment, or its address `maxPendingTokensPerPeer` in any, so a caller cannot
 * fill the admin's queue with made-up tokens.
 */
export function recordToken(
  rt: GrpcRuntime,
  call: AuditedCall,
  input: { tokenHash: string; serviceName: string; serviceVersion: string; identity: RegistrationIdentity; environment: Environment | undefined },
): Promise<RecordedToken> {
  const known = (token: ServiceToken & { environment: string }): RecordedToken =>
    input.environment && input.environment.id !== token.environment_id ? { kind: "mismatch", token, bound: token.environment } : { kind: "ok", token, environment: token.environment, created: false };
  return inAuditedTransaction(rt.deps.db, rt.deps.auditKey, async (trx, audit): Promise<RecordedToken> => {
    const existing = await getServiceTokenByHash(trx, input.tokenHash);
    if (existing) return known(existing);
    const environment = input.environment ?? (await getDefaultEnvironment(trx));
    await sql`select pg_advisory_xact_lock(${TOKENS_LOCK}, hashtext(${environment.id + " " + input.serviceName}))`.execute(trx);
    const max = { service: rt.options.maxPendingTokensPerService, address: rt.options.maxPendingTokensPerPeer };
    if ((await countPendingServiceTokens(trx, { serviceName: input.serviceName, environmentId: environment.id })) >= max.service) return { kind: "limit", scope: "service", max: max.service };
    const peer = input.identity.peerAddress;
    if (peer !== undefined) {
      await sql`select pg_advisory_xact_lock(${TOKENS_LOCK}, hashtext(${"peer " + peer}))`.execute(trx);
      if ((await countPendingServiceTokens(trx, { peerAddress: peer })) >= max.address) return { kind: "limit", scope: "address", max: max.address };
    }
    const { environment: _named, ...fields } = input;
    const registered = await registerServiceToken(trx, { ...fields, environmentId: environment.id, at: rt.deps.clock.now() });
    // Another call registered the same token first: its row (and environment) stands.
    if (!registered.created) return known((await getServiceTokenByHash(trx, input.tokenHash))!);
    const at = rt.deps.clock.now();
    audit(rt.audit.rowOf(call, { actorId: `${input.serviceName}#${registered.token.id}`, action: "token.register", target: `token:${registered.token.id}`, result: "created", environment: environment.name }));
    // The environment's approval rules decide it in this transaction, audited as the rule (issue #13).
    const ruled = await applyRulesToNewToken(trx, audit, { token: registered.token, at });
    if (ruled.kind === "approved" || ruled.kind === "rejected") return { kind: "ok", token: ruled.token, environment: environment.name, created: true };
    // Admins hear about it: the event commits with the token (issue #14's outbox).
    await recordEvent(trx, { type: "token.pending", environment: environment.name, subject: input.serviceName, link: consoleLinks.pendingTokens(environment.name), data: { tokenId: registered.token.id, serviceName: input.serviceName } });
    return { kind: "ok", token: registered.token, environment: environment.name, created: true };
  });
}
