import type { Kysely } from "kysely";
import type { AccessRequest, AccessStatus, Database } from "../../schema.js";

export type AccessDecision = "grant" | "deny" | "revoke";
const target: Record<AccessDecision, AccessStatus> = { grant: "granted", deny: "denied", revoke: "revoked" };

export type DecideAccessResult = { kind: "ok"; request: AccessRequest } | { kind: "not_found" };

/** Decides an access request of one environment (one of another is not found). */
export async function decideAccessRequest(
  db: Kysely<Database>,
  input: { environmentId: string; id: string; decision: AccessDecision; actor: string; at: Date },
): Promise<DecideAccessResult> {
  const request = await db
    .updateTable("access_requests")
    .set({ status: target[input.decision], decided_at: input.at, decided_by: input.actor })
    .where("id", "=", input.id)
    .where("environment_id", "=", input.environmentId)
    .returningAll()
    .executeTakeFirst();
  return request ? { kind: "ok", request } : { kind: "not_found" };
}
