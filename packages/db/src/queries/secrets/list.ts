import type { Kysely } from "kysely";
import type { Database, SecretStatus } from "../../schema.js";
import { executePrepared } from "../../prepared.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { definitionMatches } from "./search-text.js";
import { selectSecretsWithRotation, whereRotationState, type RotationState, type SecretWithRotation } from "./rotation.js";

export interface ListSecretsOptions {
  environmentId: string;
  limit?: number;
  cursor?: string;
  /** Case-insensitive substring of the name or description. */
  q?: string;
  status?: SecretStatus;
  type?: string;
  /** Only secrets in this rotation state at `now`. */
  rotation?: RotationState;
  now?: Date;
}

/** One environment's secrets in keyset pages ordered by name, with each secret's last rotation time. Never selects values. */
export async function listSecrets(db: Kysely<Database>, options: ListSecretsOptions): Promise<{ items: SecretWithRotation[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = selectSecretsWithRotation(db, options.environmentId).orderBy("secrets.name").limit(limit + 1);
  if (options.cursor !== undefined) {
    const [after] = decodeCursor(options.cursor, ["name"] as const);
    // On both sides of the join: with the bound on secrets alone, PostgreSQL merge-joins against the
    // definitions from the first name on, reading every definition before the page (90,000 at 100,000).
    q = q.where("secrets.name", ">", after).where("d.name", ">", after);
  }
  if (options.status !== undefined) q = q.where("secrets.status", "=", options.status);
  if (options.type !== undefined) q = q.where("d.type", "=", options.type);
  if (options.q !== undefined) {
    // On the definition (d.name = secrets.name), so its trigram index serves it (migration 0590).
    q = q.where(definitionMatches("d", options.q));
  }
  if (options.rotation !== undefined) q = whereRotationState(q, options.rotation, options.now ?? new Date());
  // Prepared: planning this four-table join costs more than running it for a page (bench/README.md).
  // Not a search: PostgreSQL's generic plan for `~* $n` cannot know how rare the text is and may walk
  // the name index filtering every row, where the search's own plan reads the trigram index.
  const rows = (options.q === undefined ? await executePrepared(db, q) : await q.execute()) as SecretWithRotation[];
  return toPage(rows, limit, (r) => [r.name]);
}
