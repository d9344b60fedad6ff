import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #12 §3–4: who registered a token (the peer address and, under mutual TLS, the client
// certificate's identity), for the admin approving it; and indexes for the per-service and
// per-address caps on pending tokens and access requests.
export const serviceIdentity: Migration = {
  async up(db: Kysely<any>) {
    for (const column of ["peer_address", "cert_subject", "cert_sans", "cert_spiffe_id", "cert_fingerprint"]) {
      await sql`alter table service_tokens add column ${sql.id(column)} text`.execute(db);
    }
    await sql`create index service_tokens_service_status on service_tokens (service_name, status)`.execute(db);
    await sql`create index service_tokens_peer_status on service_tokens (peer_address, status)`.execute(db);
    await sql`create index access_requests_service_status on access_requests (service_name, status)`.execute(db);
  },
  async down(db: Kysely<any>) {
    for (const index of ["service_tokens_service_status", "service_tokens_peer_status", "access_requests_service_status"]) await sql`drop index if exists ${sql.id(index)}`.execute(db);
    for (const column of ["peer_address", "cert_subject", "cert_sans", "cert_spiffe_id", "cert_fingerprint"]) {
      await sql`alter table service_tokens drop column ${sql.id(column)}`.execute(db);
    }
  },
};
