import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** Who registered a token, as the gRPC server saw the caller. */
export interface RegistrationIdentity {
  peerAddress?: string;
  certificate?: { subject: string; sans: string; spiffeId: string | undefined; fingerprint: string };
}

/**
 * Records a token by its hash as pending, bound to one environment for life, with who registered
 * it; registering the same token again returns its row unchanged (the identity and the environment
 * of the first registration stay: the caller compares `token.environment_id` and refuses a mismatch).
 */
export async function registerServiceToken(
  db: Kysely<Database>,
  input: { environmentId: string; tokenHash: string; serviceName: string; serviceVersion: string; at: Date; identity?: RegistrationIdentity },
): Promise<{ token: ServiceToken; created: boolean }> {
  const cert = input.identity?.certificate;
  const inserted = await db
    .insertInto("service_tokens")
    .values({
      id: randomUUID(),
      token_hash: input.tokenHash,
      environment_id: input.environmentId,
      service_name: input.serviceName,
      service_version: input.serviceVersion,
      status: "pending",
      requested_at: input.at,
      peer_address: input.identity?.peerAddress ?? null,
      cert_subject: cert?.subject ?? null,
      cert_sans: cert?.sans ?? null,
      cert_spiffe_id: cert?.spiffeId ?? null,
      cert_fingerprint: cert?.fingerprint ?? null,
    })
    .onConflict((oc) => oc.column("token_hash").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { token: inserted, created: true };
  const token = await db.selectFrom("service_tokens").selectAll().where("token_hash", "=", input.tokenHash).executeTakeFirstOrThrow();
  return { token, created: false };
}
