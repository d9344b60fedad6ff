import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { consoleLinks, recordEvent } from "../outbox/record.js";
import { inAuditedTransaction } from "./audited.js";

/**
 * A verification that found the log tampered with (or its checkpoint missing) is news: an
 * `audit.verify` row with result "failed" and an `audit.verification_failed` event, together. The
 * row is appended after the current head, so it is written even while the chain is broken.
 */
export async function recordAuditVerificationFailure(
  db: Kysely<Database>,
  auditKey: Uint8Array,
  input: { actorType: string; actor: string; problem: string; firstBadSeq: number | null; at: Date },
): Promise<void> {
  await inAuditedTransaction(db, auditKey, async (trx, audit) => {
    audit({ at: input.at, actor_type: input.actorType, actor_id: input.actor, action: "audit.verify", target: "audit_log", result: "failed", reason: input.firstBadSeq === null ? input.problem : `seq ${input.firstBadSeq}: ${input.problem}` });
    await recordEvent(trx, { type: "audit.verification_failed", subject: "audit log", link: consoleLinks.audit(), data: { problem: input.problem, firstBadSeq: input.firstBadSeq, verifiedBy: input.actor } });
  });
}
