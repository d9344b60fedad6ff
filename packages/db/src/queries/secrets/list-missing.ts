import type { Kysely } from "kysely";
import type { AccessRequest, Database, Secret } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { selectSecrets } from "./select-secret.js";

export type MissingSecret = Secret & { requests: AccessRequest[] };

/** Stubs of one environment (asked for, no value yet) ordered by name, each with the access requests of the services that asked there. */
export async function listMissingSecrets(
  db: Kysely<Database>,
  options: { environmentId: string; limit?: number; cursor?: string },
): Promise<{ items: MissingSecret[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = selectSecrets(db).where("secrets.environment_id", "=", options.environmentId).where("secrets.status", "=", "stub").orderBy("secrets.name").limit(limit + 1);
  if (options.cursor !== undefined) q = q.where("secrets.name", ">", decodeCursor(options.cursor, ["name"] as const)[0]);
  const page = toPage(await q.execute(), limit, (r) => [r.name]);
  const names = page.items.map((s) => s.name);
  const requests = names.length
    ? await db
        .selectFrom("access_requests")
        .selectAll()
        .where("environment_id", "=", options.environmentId)
        .where("secret_name", "in", names)
        .orderBy("requested_at")
        .orderBy("id")
        .execute()
    : [];
  return { items: page.items.map((s) => ({ ...s, requests: requests.filter((r) => r.secret_name === s.name) })), nextCursor: page.nextCursor };
}
