import type { Kysely } from "kysely";
import { certifiedServiceNames, dnsNamesOfSans } from "@keyward/common";
import type { Database, ServiceToken } from "../../schema.js";
import { sameNameApproved } from "./metadata.js";

/**
 * Why approving this token needs an admin's explicit look, or undefined when nothing flags it:
 * another approved token already holds its service name in its environment (approving hands it every
 * grant of that name: a redeploy, or an impostor; the console flags it from the same query), or it
 * was registered with a client certificate that does not name its service (what strict identity
 * refuses). An approval rule never approves a token with a concern; an admin still may.
 */
export async function tokenApprovalConcern(
  db: Kysely<Database>,
  token: Pick<ServiceToken, "id" | "service_name" | "cert_fingerprint" | "cert_sans" | "cert_spiffe_id">,
): Promise<string | undefined> {
  const row = await db.selectFrom("service_tokens as t").select(sameNameApproved).where("t.id", "=", token.id).executeTakeFirst();
  const others = row?.same_name_approved ?? 0;
  if (others > 0) return `${others} other approved token(s) already use service name ${token.service_name} here`;
  if (token.cert_fingerprint !== null) {
    const names = certifiedServiceNames(dnsNamesOfSans(token.cert_sans ?? ""), token.cert_spiffe_id);
    if (!names.includes(token.service_name)) return `its client certificate does not name service ${token.service_name}`;
  }
  return undefined;
}
