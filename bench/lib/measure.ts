import { performance } from "node:perf_hooks";

export interface Measurement {
  name: string;
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface MeasureOptions {
  /** How long to measure, after warm-up. */
  durationMs?: number;
  warmupMs?: number;
  /** Calls kept in flight at once. */
  concurrency?: number;
  /** Hard cap on calls, so a run always ends. */
  maxOps?: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Runs `op` with `concurrency` workers for a fixed time and reports throughput and latency. */
export async function measure(name: string, op: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const { durationMs = 3000, warmupMs = 500, concurrency = 16, maxOps = 2_000_000 } = options;
  const run = async (ms: number, record: number[] | undefined) => {
    const end = performance.now() + ms;
    let count = 0;
    const worker = async () => {
      while (performance.now() < end && count < maxOps) {
        count++;
        const t0 = performance.now();
        await op();
        record?.push(performance.now() - t0);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { count, elapsed: performance.now() - started };
  };
  await run(warmupMs, undefined);
  const latencies: number[] = [];
  const { count, elapsed } = await run(durationMs, latencies);
  latencies.sort((a, b) => a - b);
  return { name, ops: count, opsPerSec: (count / elapsed) * 1000, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
}

/** Prints a table of measurements and each one's throughput ratio to the baseline (the first row). */
export function report(title: string, rows: Measurement[]): void {
  const [baseline] = rows;
  console.log(`\n## ${title}`);
  console.log(["name".padEnd(44), "ops/s".padStart(10), "p50 ms".padStart(9), "p99 ms".padStart(9), "× baseline".padStart(11)].join(" "));
  for (const r of rows) {
    const ratio = baseline ? r.opsPerSec / baseline.opsPerSec : NaN;
    console.log([r.name.padEnd(44), r.opsPerSec.toFixed(0).padStart(10), r.p50Ms.toFixed(3).padStart(9), r.p99Ms.toFixed(3).padStart(9), ratio.toFixed(2).padStart(11)].join(" "));
  }
}
