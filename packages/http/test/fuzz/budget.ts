// The fuzz budget: a fixed number of requests per back-end in CI, and a seed printed at the start so
// a failure can be replayed. KEYWARD_FUZZ_SEED replays a run, KEYWARD_FUZZ_RUNS extends it.

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be a whole number, got ${raw}`);
  return n;
}

/** Requests per back-end, spread evenly over the operations (at least a few each). */
export const FUZZ_RUNS = intFromEnv("KEYWARD_FUZZ_RUNS", 3000);
/** The run's seed; operation i uses seed + i, so one number replays the whole run. */
export const FUZZ_SEED = intFromEnv("KEYWARD_FUZZ_SEED", (Date.now() ^ (process.pid << 10)) | 0);

export const runsPerOperation = (operations: number): number => Math.max(5, Math.ceil(FUZZ_RUNS / operations));
