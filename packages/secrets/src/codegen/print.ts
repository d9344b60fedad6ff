import type { CombinedSchema } from "../schema/types.js";

const COLUMNS = ["NAME", "TYPE", "OPTIONAL", "ROTATION", "SOURCE", "DESCRIPTION"] as const;

/** A plain-text table of the declared secrets (names and metadata only: schemas hold no values). */
export function formatSecretsTable(schema: CombinedSchema): string {
  const rows = Object.entries(schema.properties).map(([name, s]) => [
    name,
    s["x-keyward"].type,
    s["x-keyward"].optional ? "yes" : "no",
    `${s["x-keyward"].rotationDays}d`,
    s["x-keyward"].source,
    s.description.replace(/\s+/g, " ").trim(),
  ]);
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  // The last column is not padded, so long descriptions do not leave trailing spaces.
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}
