import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

export type TokenDecision = "approve" | "revoke";
export type DecideTokenResult = { kind: "ok"; token: ServiceToken } | { kind: "not_found" } | { kind: "invalid_transition"; status: ServiceToken["status"] };

/**
 * Decides a token of one environment (one of another is not found): pending → approved, and pending/approved → revoked. A revoked token stays revoked.
 * `expiresAt` (approve only) sets when the approved token stops working; null clears it, and
 * leaving it out keeps the stored expiry. Approving an already approved token again may update it.
 */
export async function decideServiceToken(
  db: Kysely<Database>,
  input: { environmentId: string; id: string; decision: TokenDecision; actor: string; at: Date; expiresAt?: Date | null },
): Promise<DecideTokenResult> {
  const current = await db.selectFrom("service_tokens").select("status").where("id", "=", input.id).where("environment_id", "=", input.environmentId).executeTakeFirst();
  if (!current) return { kind: "not_found" };
  if (current.status === "revoked") return { kind: "invalid_transition", status: current.status };
  const token = await db
    .updateTable("service_tokens")
    .set(
      input.decision === "approve"
        ? { status: "approved", approved_at: input.at, approved_by: input.actor, ...(input.expiresAt !== undefined ? { expires_at: input.expiresAt } : {}) }
        : { status: "revoked" },
    )
    .where("id", "=", input.id)
    .where("status", "!=", "revoked")
    .returningAll()
    .executeTakeFirst();
  return token ? { kind: "ok", token } : { kind: "invalid_transition", status: "revoked" };
}
