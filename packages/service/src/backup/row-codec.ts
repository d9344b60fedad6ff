import type { TableColumn } from "@keyward/db";

/**
 * A row as the archive holds it: PostgreSQL's JSON of the row (timestamps with microseconds, jsonb
 * and arrays as JSON), except bytea as base64 and int8 as a decimal string, so it reads the same
 * whichever driver (pg or PGlite) made it or loads it.
 */
export function encodeRow(row: Record<string, unknown>, columns: readonly TableColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, type } of columns) {
    const v = row[name] ?? null;
    if (v !== null && type === "bytea") out[name] = Buffer.from((v as string).slice(2), "hex").toString("base64");
    else if (v !== null && type === "int8") out[name] = String(v);
    else out[name] = v;
  }
  return out;
}

/** Back to the JSON PostgreSQL's jsonb_populate_recordset reads (bytea as "\x…" hex). */
export function decodeRow(row: Record<string, unknown>, columns: readonly TableColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, type } of columns) {
    const v = row[name] ?? null;
    out[name] = v !== null && type === "bytea" ? "\\x" + Buffer.from(v as string, "base64").toString("hex") : v;
  }
  return out;
}
