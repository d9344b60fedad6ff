import os from "node:os";
import { assertNever } from "@keyward/common";
import { decideServiceToken, grantPendingRequestsByRules, inAuditedTransaction, type Database, type Environment } from "@keyward/db";
import type { Kysely } from "kysely";

export type ApproveOutcome = { kind: "approved"; id: string; serviceName: string } | { kind: "not_found"; id: string } | { kind: "invalid_transition"; id: string; status: string };

/** Who approved, as the audit log records it for a headless approval. */
export function cliActor(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`;
}

/**
 * Approves one token of an environment and writes its audit row in the same transaction: both
 * happen, or neither. As the admin API's approval does, it then grants the service's pending access
 * requests that an `access.grant` rule of the environment matches (audited as `rule:<id>`).
 */
export async function approveTokenHeadless(
  db: Kysely<Database>,
  auditKey: Uint8Array,
  input: { id: string; environment: Pick<Environment, "id" | "name">; actor: string; at: Date; /** The audit row's reason, e.g. "break-glass: <why>". */ reason?: string },
): Promise<ApproveOutcome> {
  return inAuditedTransaction(db, auditKey, async (trx, audit) => {
    const result = await decideServiceToken(trx, { environmentId: input.environment.id, id: input.id, decision: "approve", actor: input.actor, at: input.at });
    switch (result.kind) {
      case "ok":
        audit({ at: input.at, actor_type: "cli", actor_id: input.actor, action: "token.approve", target: `token:${input.id}`, result: "ok", reason: input.reason ?? null, environment: input.environment.name });
        await grantPendingRequestsByRules(trx, audit, { environmentId: input.environment.id, serviceName: result.token.service_name, at: input.at });
        return { kind: "approved", id: input.id, serviceName: result.token.service_name };
      case "not_found":
        return { kind: "not_found", id: input.id };
      case "invalid_transition":
        return { kind: "invalid_transition", id: input.id, status: result.status };
      default:
        return assertNever(result, "token decision");
    }
  });
}
