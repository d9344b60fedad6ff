import type { Kysely } from "kysely";
import type { Database, SecretDefinition, SecretStatus } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { definitionMatches } from "./search-text.js";

/** One secret's state in one environment; an environment with no row is "missing" there. */
export interface MatrixCellRow {
  environment_id: string;
  status: SecretStatus;
  current_version: number;
  /** When the current version was written (null with no value). */
  last_rotated_at: Date | null;
}

export interface MatrixRow {
  definition: SecretDefinition;
  cells: MatrixCellRow[];
}

/**
 * The secrets matrix: a keyset page of secret definitions (by name, `q` matching the name or the
 * description) with each one's state in every environment that has a row. Never selects values.
 */
export async function listSecretsMatrix(db: Kysely<Database>, options: { q?: string; limit?: number; cursor?: string } = {}): Promise<{ items: MatrixRow[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = db.selectFrom("secret_definitions").selectAll().orderBy("name").limit(limit + 1);
  if (options.cursor !== undefined) q = q.where("name", ">", decodeCursor(options.cursor, ["name"] as const)[0]);
  if (options.q !== undefined) q = q.where(definitionMatches("secret_definitions", options.q));
  const page = toPage(await q.execute(), limit, (r) => [r.name]);
  const names = page.items.map((d) => d.name);
  let cells: (MatrixCellRow & { name: string })[] = [];
  if (names.length > 0) {
    const cellsOf = db.selectFrom("secrets").select(["name", "environment_id", "status", "current_version", "last_rotated_at"]);
    // Unfiltered, the page is every definition from its first name to its last, so its cells are one
    // range of the name index (one descent, then neighbouring entries) rather than a probe per name.
    cells = options.q === undefined ? await cellsOf.where("name", ">=", names[0]!).where("name", "<=", names.at(-1)!).execute() : await cellsOf.where("name", "in", names).execute();
  }
  const byName = new Map<string, MatrixCellRow[]>(names.map((n) => [n, []]));
  // A definition made between the two reads may have cells in the range; it is on no page yet.
  for (const { name, ...cell } of cells) byName.get(name)?.push(cell);
  return { items: page.items.map((definition) => ({ definition, cells: byName.get(definition.name)! })), nextCursor: page.nextCursor };
}
