import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

export type TokenDecision = "approve" | "revoke";
export type DecideTokenResult = { kind: "ok"; token: ServiceToken } | { kind: "not_found" } | { kind: "invalid_transition"; status: ServiceToken["status"] };

/** pending → approved, and pending/approved → revoked. A revoked token stays revoked. */
export async function decideServiceToken(
  db: Kysely<Database>,
  input: { id: string; decision: TokenDecision; actor: string; at: Date },
): Promise<DecideTokenResult> {
  const current = await db.selectFrom("service_tokens").select("status").where("id", "=", input.id).executeTakeFirst();
  if (!current) return { kind: "not_found" };
  if (current.status === "revoked") return { kind: "invalid_transition", status: current.status };
  const token = await db
    .updateTable("service_tokens")
    .set(input.decision === "approve" ? { status: "approved", approved_at: input.at, approved_by: input.actor } : { status: "revoked" })
    .where("id", "=", input.id)
    .where("status", "!=", "revoked")
    .returningAll()
    .executeTakeFirst();
  return token ? { kind: "ok", token } : { kind: "invalid_transition", status: "revoked" };
}
