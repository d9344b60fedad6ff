import { sql } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** Every column of a token but its hash: what lists and lookups for admins select. */
export const TOKEN_METADATA_COLUMNS = [
  "t.id",
  "t.service_name",
  "t.service_version",
  "t.environment_id",
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

/** A token as admins see it, with its environment's name and how many other approved tokens use its service name there. */
export type ServiceTokenMetadata = Omit<ServiceToken, "token_hash"> & { same_name_approved: number; environment: string };

/** The name of the token's environment. */
export const environmentName = sql<string>`(select e.name from environments e where e.id = t.environment_id)`.as("environment");

/**
 * Other approved tokens of the same service name in the same environment: a pending token with any
 * is flagged for the admin, since approving it hands it every grant of that name there (a redeploy, or an impostor).
 */
export const sameNameApproved = sql<number>`(select count(*)::int from service_tokens o where o.service_name = t.service_name and o.environment_id = t.environment_id and o.id <> t.id and o.status = 'approved')`.as("same_name_approved");
