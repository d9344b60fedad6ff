import { listServiceTokens, type Database } from "@keyward/db";
import type { Kysely } from "kysely";

export interface PendingToken {
  id: string;
  /** Where it was registered from, for the operator to compare. */
  peerAddress: string | null;
  certificate: string | null;
  /** Other approved tokens of the service name in the environment: approving this one hands it their grants there. */
  sameNameApproved: number;
}

/** A service's pending tokens in one environment, oldest first (no hashes leave the database). */
export async function pendingTokensForService(db: Kysely<Database>, input: { environmentId: string; serviceName: string }): Promise<PendingToken[]> {
  const { items } = await listServiceTokens(db, { environmentId: input.environmentId, status: "pending", serviceName: input.serviceName, limit: 500 });
  return items.reverse().map((t) => ({ id: t.id, peerAddress: t.peer_address, certificate: t.cert_sans ?? t.cert_subject, sameNameApproved: t.same_name_approved }));
}
