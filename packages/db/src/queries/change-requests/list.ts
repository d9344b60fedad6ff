import type { Kysely } from "kysely";
import type { ChangeRequestStatus, Database } from "../../schema.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { toChangeRequest, type ChangeRequest } from "./public.js";

/** Change requests, newest first, optionally of one environment and/or status. */
export async function listChangeRequests(
  db: Kysely<Database>,
  input: { environmentId?: string; status?: ChangeRequestStatus; limit: number; cursor?: string },
): Promise<{ items: ChangeRequest[]; nextCursor: string | null }> {
  let query = db.selectFrom("change_requests").selectAll();
  if (input.environmentId !== undefined) query = query.where("environment_id", "=", input.environmentId);
  if (input.status !== undefined) query = query.where("status", "=", input.status);
  if (input.cursor !== undefined) {
    const [at, id] = decodeCursor(input.cursor, ["timestamp", "id"] as const);
    query = query.where((eb) => eb.or([eb("created_at", "<", new Date(at)), eb.and([eb("created_at", "=", new Date(at)), eb("id", "<", id)])]));
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(input.limit + 1).execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toChangeRequest),
    nextCursor: rows.length > input.limit && last ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
  };
}
