import { createSecretStub, decideAccessRequest, deleteEnvironment, deleteSecret, updateEnvironment, decideServiceToken, markChangeRequestApplied, openChangeRequestValue, rollbackSecret, setSecretEnabled, setSecretValue, type ChangeRequest, type Database, type EnvironmentCounts, type ValueCheck } from "@keyward/db";
import { assertNever, type Envelope } from "@keyward/common";
import type { Kysely } from "kysely";
import type { AdminAuditEntry } from "../audit.js";
import { HttpProblem } from "../problem.js";
import { describeEnvironmentChange, heldContents } from "../routes/environments/map.js";

/**
 * Applies an approved change request inside the last approval's transaction, writing the change's
 * own audit row (as the requester's action, approved by the approver) and marking it applied. A
 * change that can no longer apply (the secret went away, the version moved) throws a 409, which
 * rolls the approval back: the request stays pending and can be rejected.
 */
export async function applyChangeRequest(
  trx: Kysely<Database>,
  envelope: Envelope,
  request: ChangeRequest,
  input: { environmentId: string; environment: string; at: Date; check: ValueCheck },
  audit: (entry: AdminAuditEntry) => void,
): Promise<ChangeRequest> {
  const p = request.payload as Record<string, unknown>;
  const actor = request.requested_by;
  const base = { environmentId: input.environmentId, actor, at: input.at };
  const refuse = (why: string): never => {
    throw new HttpProblem(409, "Change cannot apply", `the approved change can no longer apply: ${why}; reject the request`, "id");
  };
  const reason = `change request ${request.id}`;
  switch (request.kind) {
    case "secret.set_value": {
      const value = await openChangeRequestValue(trx, envelope, request.id);
      if (value === undefined) refuse("its value is gone");
      // A promotion makes the target row when it is missing, as a direct promotion does.
      if (typeof p.promotedFrom === "string") await createSecretStub(trx, { environmentId: input.environmentId, name: String(p.name), description: "", requestedBy: actor, at: input.at });
      // Checked again at apply: the secret's type or declared rules may have changed since the request.
      const r = await setSecretValue(trx, envelope, { ...base, name: String(p.name), value: value!, check: input.check, ...(typeof p.expectedVersion === "number" ? { expectedVersion: p.expectedVersion } : {}) });
      if (r.kind === "invalid") return refuse(`the value is no longer valid (${r.problem})`);
      if (r.kind !== "ok") return refuse(r.kind);
      // A held promotion is recorded as the promotion it is, as a direct one is (and its row is what accounts for the target row it made).
      const promotion = typeof p.promotedFrom === "string" ? `, from ${p.promotedFrom} version ${String(p.fromVersion)} to ${input.environment} version ${r.version}` : "";
      audit({ action: promotion ? "secret.promote" : "secret.value.set", target: request.target, result: "ok", reason: reason + promotion, environment: input.environment });
      break;
    }
    case "secret.rollback": {
      const r = await rollbackSecret(trx, envelope, { ...base, name: String(p.name), toVersion: Number(p.toVersion), ...(typeof p.expectedVersion === "number" ? { expectedVersion: p.expectedVersion } : {}) });
      if (r.kind !== "ok") refuse(r.kind);
      audit({ action: "secret.rollback", target: request.target, result: "ok", reason: `${reason}, to version ${String(p.toVersion)}`, environment: input.environment });
      break;
    }
    case "secret.disable": {
      if (!(await setSecretEnabled(trx, { ...base, name: String(p.name), enabled: false }))) refuse("not_found");
      audit({ action: "secret.disable", target: request.target, result: "ok", reason, environment: input.environment });
      break;
    }
    case "secret.delete": {
      if (!(await deleteSecret(trx, { ...base, name: String(p.name) }))) refuse("not_found");
      audit({ action: "secret.delete", target: request.target, result: "ok", reason, environment: input.environment });
      break;
    }
    case "token.approve": {
      const expiresAt = typeof p.expiresAt === "string" ? new Date(p.expiresAt) : p.expiresAt === null ? null : undefined;
      const r = await decideServiceToken(trx, { ...base, id: String(p.id), decision: "approve", ...(expiresAt !== undefined ? { expiresAt } : {}) });
      if (r.kind !== "ok") refuse(r.kind === "invalid_transition" ? `the token is ${r.status}` : r.kind);
      audit({ action: "token.approve", target: request.target, result: "ok", reason, environment: input.environment });
      break;
    }
    case "access.grant": {
      const r = await decideAccessRequest(trx, { ...base, id: String(p.id), decision: "grant" });
      if (r.kind !== "ok") return refuse(r.kind);
      // The grant's row names the (service, secret) pair, as a direct grant's does; the request id is in the reason.
      audit({ action: "access.grant", target: `access:${r.request.service_name}/${r.request.secret_name}`, result: "ok", reason, environment: input.environment });
      break;
    }
    case "environment.update": {
      const patch = (p.patch ?? {}) as { protected?: boolean; approvalsRequired?: number; changeRequestTtlSeconds?: number };
      const r = await updateEnvironment(trx, { name: input.environment, protected: patch.protected, approvalsRequired: patch.approvalsRequired, changeRequestTtlSeconds: patch.changeRequestTtlSeconds });
      if (r.kind !== "ok") refuse(r.kind);
      const ok = r as Extract<typeof r, { kind: "ok" }>;
      audit({ action: "environment.update", target: request.target, result: "ok", reason: `${describeEnvironmentChange(ok.before, ok.environment)}, ${reason}`, environment: input.environment });
      break;
    }
    // Requests opened before environment.update replaced it.
    case "environment.unprotect": {
      const r = await updateEnvironment(trx, { name: input.environment, protected: false });
      if (r.kind !== "ok") refuse(r.kind);
      audit({ action: "environment.update", target: request.target, result: "ok", reason: `unprotected, ${reason}`, environment: input.environment });
      break;
    }
    case "environment.delete": {
      // The request row goes with the environment (its audit rows stay): mark it applied first and answer with that.
      const applied = await markChangeRequestApplied(trx, { id: request.id, at: input.at });
      const r = await deleteEnvironment(trx, { name: input.environment, confirm: p.confirm === true });
      if (r.kind !== "ok") refuse(r.kind);
      audit({ action: "environment.delete", target: `environment:${input.environment}`, result: "ok", reason: `${heldContents((r as { counts: EnvironmentCounts }).counts)}, ${reason}`, environment: input.environment });
      return applied;
    }
    default:
      return assertNever(request.kind, "change request kind");
  }
  return markChangeRequestApplied(trx, { id: request.id, at: input.at });
}
