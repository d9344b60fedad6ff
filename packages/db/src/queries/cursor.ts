import { KeywardError } from "@keyward/common";

/**
 * Keyset-pagination cursors: the sort key of a page's last row, as opaque base64url JSON. A cursor
 * that does not decode to the expected shape is bad input, named as the `cursor` field.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodeCursor<K extends readonly ("string" | "number")[]>(cursor: string, shape: K): { [I in keyof K]: K[I] extends "number" ? number : string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((k, i) => typeof k !== shape[i])) {
    throw new KeywardError("invalid_argument", "the cursor is not one this API returned; pass a page's nextCursor unchanged", { field: "cursor" });
  }
  return key as never;
}

/** The page and the cursor of its last row, from limit + 1 fetched rows. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}

/** Clamps a page size; callers validate the range, this only guards the database. */
export const pageLimit = (limit: number | undefined, fallback: number, max: number): number => Math.max(1, Math.min(limit ?? fallback, max));

/** Escapes LIKE wildcards so a search for "A_B" matches only that text. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
