import { inAuditedTransaction, recordDescriptionMismatch } from "@keyward/db";
import type { AuditedCall, CallAuditor } from "./audit.js";
import type { GrpcDeps } from "./deps.js";

/**
 * Compares the description a client's schema sends with the stored one and records a difference
 * for admins (a row per secret and service, and an audit row). Each distinct wording is recorded
 * once per server process, so a mismatched service does not write on every read.
 */
export interface MismatchChecker {
  check(call: AuditedCall, input: { secretName: string; serviceName: string; actorId: string; clientDescription: string; storedDescription: string }): Promise<void>;
  /**
   * The schema's declared policy (type, rotationDays, reminderDays) differs from the stored one:
   * an audit row (`secret.describe`, result `mismatch`, reason `policy_mismatch: …`) for admins,
   * once per distinct difference per server process.
   */
  checkPolicy(call: AuditedCall, input: { secretName: string; serviceName: string; actorId: string; differences: string[] }): Promise<void>;
}

/** The two descriptions as recorded (trimmed, the client's at most 1,000 characters) when the client's is one to record: not empty, and not the stored one. */
export function differingDescriptions(clientDescription: string, storedDescription: string): { client: string; stored: string } | undefined {
  const client = clientDescription.trim().slice(0, 1000);
  const stored = storedDescription.trim();
  return client !== "" && client !== stored ? { client, stored } : undefined;
}

export function createMismatchChecker(deps: GrpcDeps, audit: CallAuditor, maxRemembered = 10_000): MismatchChecker {
  const seen = new Set<string>();
  const remember = (key: string) => {
    if (seen.size >= maxRemembered) seen.clear();
    seen.add(key);
  };
  return {
    async check(call, input) {
      const differing = differingDescriptions(input.clientDescription, input.storedDescription);
      if (!differing) return;
      const { client, stored } = differing;
      const key = JSON.stringify([input.secretName, input.serviceName, client, stored]);
      if (seen.has(key)) return;
      await inAuditedTransaction(deps.db, deps.auditKey, async (trx, append) => {
        await recordDescriptionMismatch(trx, { secretName: input.secretName, serviceName: input.serviceName, clientDescription: client, storedDescription: stored, at: deps.clock.now() });
        append(audit.rowOf(call, { actorId: input.actorId, action: "secret.describe", target: `secret:${input.secretName}`, result: "mismatch", reason: "description_mismatch" }));
      });
      remember(key);
    },
    async checkPolicy(call, input) {
      if (input.differences.length === 0) return;
      const key = JSON.stringify([input.secretName, input.serviceName, "policy", input.differences]);
      if (seen.has(key)) return;
      await inAuditedTransaction(deps.db, deps.auditKey, async (_trx, append) => {
        append(audit.rowOf(call, { actorId: input.actorId, action: "secret.describe", target: `secret:${input.secretName}`, result: "mismatch", reason: `policy_mismatch: ${input.differences.join("; ")}` }));
      });
      remember(key);
    },
  };
}
