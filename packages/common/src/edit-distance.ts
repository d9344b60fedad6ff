/** Edit distance (insertions, deletions, substitutions, adjacent swaps), stopping past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The candidate nearest to `name` within `max` edits (the first on a tie), if any. */
export function closestName(name: string, candidates: Iterable<string>, max: number): string | undefined {
  let meant: string | undefined;
  let best = max + 1;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate, max);
    if (d < best) [best, meant] = [d, candidate];
  }
  return meant;
}
