import { sql } from "kysely";
import { applyRulesToNewRequest, consoleLinks, countPendingAccessRequests, createSecretStub, ensureAccessRequest, getAccessRequest, inAuditedTransaction, recordEvent, type AccessRequest, type BoundServiceToken } from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import type { DeclaredPolicy } from "../policy.js";
import type { GrpcRuntime } from "../runtime.js";

export interface RequestInput {
  call: AuditedCall;
  caller: { token: BoundServiceToken; actorId: string };
  name: string;
  at: Date;
}

/** The caller's access request, or `limit`: the service already has its cap of pending requests and nothing was recorded. */
export type RecordedRequest = { kind: "ok"; request: AccessRequest } | { kind: "limit"; max: number };

// Serialises the cap check per service name (two keys: this namespace and the name's hash).
const REQUESTS_LOCK = 0x6b777271; // "kwrq"

const requestTarget = (input: RequestInput) => `access:${input.caller.token.service_name}/${input.name}`;

/**
 * Records the caller's pending access request for `name` (and, when `description` is given, a stub
 * for a secret that does not exist yet), each new row with its audit row, in one transaction. A new
 * request is refused once the service has `maxPendingRequestsPerService` pending ones, so an
 * approved service cannot squat stubs (the cap is per environment, like everything the token does) or fill the admin's queue without limit; a missing and an
 * existing secret count alike, so the cap tells the service nothing about which names exist.
 */
async function record(rt: GrpcRuntime, input: RequestInput, stub: { description: string; policy: DeclaredPolicy } | undefined): Promise<RecordedRequest> {
  const serviceName = input.caller.token.service_name;
  const environmentId = input.caller.token.environment_id;
  const max = rt.options.maxPendingRequestsPerService;
  return inAuditedTransaction(rt.deps.db, rt.deps.auditKey, async (trx, audit) => {
    const existing = await getAccessRequest(trx, { environmentId, secretName: input.name, serviceName });
    if (!existing) {
      await sql`select pg_advisory_xact_lock(${REQUESTS_LOCK}, hashtext(${environmentId + " " + serviceName}))`.execute(trx);
      if ((await countPendingAccessRequests(trx, { environmentId, serviceName })) >= max) return { kind: "limit", max } as const;
    }
    if (stub !== undefined) {
      const made = await createSecretStub(trx, { environmentId, name: input.name, description: stub.description.slice(0, 1000), ...stub.policy, requestedBy: input.caller.actorId, at: input.at });
      if (made.created) {
        audit(rt.audit.rowOf(input.call, { actorId: input.caller.actorId, action: "secret.stub", target: `secret:${input.name}`, result: "created", environment: input.caller.token.environment }));
        const environment = input.caller.token.environment;
        await recordEvent(trx, { type: "secret.stub_created", environment, subject: input.name, link: consoleLinks.missing(environment), data: { secretName: input.name, requestedBy: serviceName } });
      }
    }
    const { request, created } = await ensureAccessRequest(trx, { environmentId, secretName: input.name, serviceName, at: input.at });
    if (created) {
      audit(rt.audit.rowOf(input.call, { actorId: input.caller.actorId, action: "access.request", target: requestTarget(input), result: "created", environment: input.caller.token.environment }));
      // The environment's approval rules decide it in this transaction, audited as the rule (issue #13).
      const ruled = await applyRulesToNewRequest(trx, audit, { request, at: input.at });
      if (ruled.kind !== "none") return { kind: "ok", request: ruled.request } as const;
      const environment = input.caller.token.environment;
      await recordEvent(trx, { type: "access.requested", environment, subject: `${serviceName}/${input.name}`, link: consoleLinks.approvals(environment), data: { requestId: request.id, serviceName, secretName: input.name } });
    }
    return { kind: "ok", request } as const;
  });
}

/** A missing secret becomes a stub, and the caller's access request a pending one (see `record`). */
export function recordStubAndRequest(rt: GrpcRuntime, input: RequestInput & { description: string; policy: DeclaredPolicy }): Promise<RecordedRequest> {
  return record(rt, input, { description: input.description, policy: input.policy });
}

/** The caller's access request for a secret that exists: read (the common case, one query), or recorded the first time. */
export async function ensureRequest(rt: GrpcRuntime, input: RequestInput): Promise<RecordedRequest> {
  const existing = await getAccessRequest(rt.deps.db, { environmentId: input.caller.token.environment_id, secretName: input.name, serviceName: input.caller.token.service_name });
  return existing ? { kind: "ok", request: existing } : record(rt, input, undefined);
}
