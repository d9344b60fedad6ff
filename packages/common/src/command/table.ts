// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a cell takes on screen: colour codes take none. */
const visibleLength = (cell: string): number => cell.replace(ANSI, "").length;

/** Rows as an aligned table; the last column is not padded; coloured cells align by what shows. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i]!))));
  const pad = (cell: string, width: number) => cell + " ".repeat(Math.max(0, width - visibleLength(cell)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]!))).join("  ")).join("\n");
}
