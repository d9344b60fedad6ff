/** Histogram buckets in seconds, as Prometheus client libraries default to. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

/** Calls counted and timed by a few labels: a counter (`total`) and a histogram in seconds (`duration`). */
export interface CallMetrics<L extends string> {
  observe(labels: Record<L, string | number>, seconds: number): void;
  /** Prometheus text exposition format 0.0.4. */
  render(): string;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/**
 * In-memory call metrics. Keep label values few (route templates, method names, status codes):
 * every distinct combination is a series held for the process's life.
 */
export function createCallMetrics<L extends string>(options: { total: string; duration: string; labels: readonly L[]; help: string; durationHelp: string }): CallMetrics<L> {
  const series = new Map<string, Series>();
  const { total, duration, labels } = options;
  if (labels.length === 0) throw new RangeError("createCallMetrics: give at least one label");
  // Series by label value, one Map level per label: a call that finds its series formats nothing
  // (formatting and escaping every label on every call showed in GetSecret's profile, issue #18).
  const byValue = new Map<string, unknown>();
  const seriesOf = (values: Record<L, string | number>): Series => {
    let node = byValue;
    for (let i = 0; i < labels.length - 1; i++) {
      const value = String(values[labels[i]!]);
      let next = node.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    const last = String(values[labels[labels.length - 1]!]);
    let s = node.get(last) as Series | undefined;
    if (s === undefined) {
      const text = labels.map((l) => `${l}="${escapeLabel(String(values[l]))}"`).join(",");
      s = { labels: text, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      node.set(last, s);
      series.set(text, s);
    }
    return s;
  };
  return {
    observe(values, seconds) {
      const s = seriesOf(values);
      s.count += 1;
      s.sum += seconds;
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.buckets[i]! += 1;
    },
    render() {
      const all = [...series.values()].sort((a, b) => a.labels.localeCompare(b.labels));
      const lines = [`# HELP ${total} ${options.help}`, `# TYPE ${total} counter`];
      for (const s of all) lines.push(`${total}{${s.labels}} ${s.count}`);
      lines.push(`# HELP ${duration} ${options.durationHelp}`, `# TYPE ${duration} histogram`);
      for (const s of all) {
        BUCKETS.forEach((le, i) => lines.push(`${duration}_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`));
        lines.push(`${duration}_bucket{${s.labels},le="+Inf"} ${s.count}`);
        lines.push(`${duration}_sum{${s.labels}} ${s.sum}`);
        lines.push(`${duration}_count{${s.labels}} ${s.count}`);
      }
      return lines.join("\n") + "\n";
    },
  };
}
