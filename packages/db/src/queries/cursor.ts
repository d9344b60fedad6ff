import { KeywardError } from "@keyward/common";

/**
 * Keyset-pagination cursors: the sort key of a page's last row, as opaque base64url JSON. A cursor
 * that does not decode to the expected shape is bad input, named as the `cursor` field.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** What a cursor slot may hold: each is checked as a typed value, so nothing odd reaches a query. */
const SLOTS = {
  /** A row's time as toISOString wrote it (1970–9999): anything else is not one of ours. */
  timestamp: (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && v >= "1970" && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  /** A row id (a UUID, or letters, digits, dashes and underscores, as in `cr_<hex>`). */
  id: (v: unknown): v is string => typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v),
  /** A secret name. */
  name: (v: unknown): v is string => typeof v === "string" && /^[A-Z][A-Z0-9_]{0,127}$/.test(v),
  /** An audit seq: a whole number a bigint holds. */
  seq: (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0,
} as const;
type Slot = keyof typeof SLOTS;

export function decodeCursor<K extends readonly Slot[]>(cursor: string, shape: K): { [I in keyof K]: K[I] extends "seq" ? number : string } {
  let key: unknown;
  try {
    key = /^[A-Za-z0-9_-]*$/.test(cursor) ? JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) : undefined;
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((k, i) => !SLOTS[shape[i]!](k))) {
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

