// The fuzz budget: a fixed number of requests per back-end in CI, and a seed printed at the start so
// a failure can be replayed. KEYWARD_FUZZ_SEED replays a run, KEYWARD_FUZZ_RUNS extends it.

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be a whole number, got ${raw}`);
  return n;
}

/** Requests per back-end, spread over the operations by how many inputs each has (see runsFor). */
export const FUZZ_RUNS = intFromEnv("KEYWARD_FUZZ_RUNS", 3000);
/** The run's seed; operation i uses seed + i, so one number replays the whole run. */
export const FUZZ_SEED = intFromEnv("KEYWARD_FUZZ_SEED", (Date.now() ^ (process.pid << 10)) | 0);

/**
 * Runs for each operation: the budget in proportion to 1 + its number of inputs (parameters and top-level
 * body fields), at least 5, so /healthz does not get as many as the eight filters of the audit list.
 */
export function runsFor(inputCounts: number[]): number[] {
  const total = inputCounts.reduce((sum, n) => sum + 1 + n, 0);
  return inputCounts.map((n) => Math.max(5, Math.round((FUZZ_RUNS * (1 + n)) / total)));
}
