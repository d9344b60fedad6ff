import { sql } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** Every column of a token but its hash: what lists and lookups for admins select. */
export const TOKEN_METADATA_COLUMNS = [
  "t.id",
  "t.service_name",
  "t.service_version",
  "t.status",
  "t.requested_at",
  "t.approved_at",
  "t.approved_by",
  "t.last_used_at",
  "t.access_count",
  "t.expires_at",
  "t.peer_address",
  "t.cert_subject",
  "t.cert_sans",
  "t.cert_spiffe_id",
  "t.cert_fingerprint",
] as const;

/** A token as admins see it, with how many other approved tokens use its service name. */
export type ServiceTokenMetadata = Omit<ServiceToken, "token_hash"> & { same_name_approved: number };

/**
 * Other approved tokens of the same service name: a pending token with any is flagged for the
 * admin, since approving it hands it every grant of that name (a redeploy, or an impostor).
 */
export const sameNameApproved = sql<number>`(select count(*)::int from service_tokens o where o.service_name = t.service_name and o.id <> t.id and o.status = 'approved')`.as("same_name_approved");
