import { report, type Measurement } from "./measure.js";

export interface Alternated {
  /** Each side's median-throughput run, baseline first: the rows a report prints. */
  rows: [Measurement, Measurement];
  /** subject ÷ baseline for each round, each from a pair measured back to back. */
  ratios: number[];
  /** The median of `ratios`: the figure a headline states. */
  ratio: number;
}

/** The middle value (the upper of the two middle ones for an even count). */
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const middleRun = (ms: readonly Measurement[]) => [...ms].sort((a, b) => a.opsPerSec - b.opsPerSec)[Math.floor(ms.length / 2)]!;

/**
 * Runs the baseline and the subject in turn, `rounds` times, so a noisy neighbour or a change of
 * CPU frequency shifts both sides of a round alike. The ratio is the median of the rounds' own
 * ratios: dividing one side's median run by the other's would pair runs from different rounds and
 * lose what alternating bought (a single slow round on one side then moves the figure by itself).
 */
export async function alternate(rounds: number, baseline: () => Promise<Measurement>, subject: () => Promise<Measurement>): Promise<Alternated> {
  const base: Measurement[] = [];
  const subj: Measurement[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(await baseline());
    subj.push(await subject());
  }
  const ratios = subj.map((m, i) => m.opsPerSec / base[i]!.opsPerSec);
  return { rows: [middleRun(base), middleRun(subj)], ratios, ratio: median(ratios) };
}

/** Prints the two median runs and every round's ratio with their median. */
export function reportAlternated(title: string, r: Alternated): void {
  report(title, r.rows);
  console.log(`per-round ratios: ${r.ratios.map((x) => x.toFixed(2)).join(", ")} (median ${r.ratio.toFixed(2)})`);
}
