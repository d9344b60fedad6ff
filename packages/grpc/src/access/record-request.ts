import { createSecretStub, ensureAccessRequest, getAccessRequest, inAuditedTransaction, type AccessRequest, type ServiceToken } from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import type { GrpcRuntime } from "../runtime.js";

export interface RequestInput {
  call: AuditedCall;
  caller: { token: ServiceToken; actorId: string };
  name: string;
  at: Date;
}

const requestTarget = (input: RequestInput) => `access:${input.caller.token.service_name}/${input.name}`;

/**
 * A missing secret becomes a stub, and the caller's access request a pending one: both, with an
 * audit row for each that is new, in one transaction, so neither exists without its row.
 */
export async function recordStubAndRequest(rt: GrpcRuntime, input: RequestInput & { description: string }): Promise<void> {
  await inAuditedTransaction(rt.deps.db, rt.deps.auditKey, async (trx, audit) => {
    const stub = await createSecretStub(trx, { name: input.name, description: input.description.slice(0, 1000), requestedBy: input.caller.actorId, at: input.at });
    if (stub.created) audit(rt.audit.rowOf(input.call, { actorId: input.caller.actorId, action: "secret.stub", target: `secret:${input.name}`, result: "created" }));
    const request = await ensureAccessRequest(trx, { secretName: input.name, serviceName: input.caller.token.service_name, at: input.at });
    if (request.created) audit(rt.audit.rowOf(input.call, { actorId: input.caller.actorId, action: "access.request", target: requestTarget(input), result: "created" }));
  });
}

/**
 * The caller's access request for a secret that exists: read (the common case, one query), or
 * recorded as pending with its audit row in one transaction the first time.
 */
export async function ensureRequest(rt: GrpcRuntime, input: RequestInput): Promise<AccessRequest> {
  const serviceName = input.caller.token.service_name;
  const existing = await getAccessRequest(rt.deps.db, { secretName: input.name, serviceName });
  if (existing) return existing;
  return inAuditedTransaction(rt.deps.db, rt.deps.auditKey, async (trx, audit) => {
    const { request, created } = await ensureAccessRequest(trx, { secretName: input.name, serviceName, at: input.at });
    if (created) audit(rt.audit.rowOf(input.call, { actorId: input.caller.actorId, action: "access.request", target: requestTarget(input), result: "created" }));
    return request;
  });
}
