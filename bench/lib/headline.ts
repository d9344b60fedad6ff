// The figures the performance issue (#18) and the audit-at-scale issue (#21) set targets for. Each
// benchmark records its rows here as it measures them; run.ts prints them together at the end, each beside its baseline from the same run.

export interface Headline {
  /** The path measured, as the table names it. */
  path: string;
  /** What was measured, with its unit ("6,812 ops/s"). */
  figure: string;
  /** The baseline measured in the same run, with its unit. */
  baseline: string;
  /** What the target is checked against: "0.84×", or the figure itself when the target is absolute. */
  result: string;
  /** The target, e.g. "≥ 0.80×" or "≥ 1,000 writes/s". */
  target: string;
  met: boolean;
}

const rows: Headline[] = [];

export function headline(row: Headline): void {
  rows.push(row);
}

/** A count as the table prints it: rounded, with thousands separators. */
export const formatCount = (n: number) => Math.round(n).toLocaleString("en-US");

/** The table of every headline recorded so far, or nothing when no benchmark recorded one. */
export function printHeadlines(): void {
  if (rows.length === 0) return;
  const cols = ["path", "figure", "baseline (same run)", "result", "target", ""] as const;
  const cells = rows.map((r) => [r.path, r.figure, r.baseline, r.result, r.target, r.met ? "met" : "NOT met"]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (xs: readonly string[]) => `| ${xs.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
  console.log("\n# Targets (issues #18 and #21)\n");
  console.log(line(cols));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
}
