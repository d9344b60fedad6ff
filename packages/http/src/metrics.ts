/** Histogram buckets in seconds, as Prometheus client libraries default to. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

export interface HttpMetrics {
  observe(labels: { method: string; route: string; status: number }, seconds: number): void;
  /** Prometheus text exposition format 0.0.4. */
  render(): string;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Request counts and durations by method, route template and status; routes are templates, so label sets stay few. */
export function createHttpMetrics(): HttpMetrics {
  const series = new Map<string, Series>();
  return {
    observe({ method, route, status }, seconds) {
      const labels = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`;
      let s = series.get(labels);
      if (!s) series.set(labels, (s = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
      s.count += 1;
      s.sum += seconds;
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) s.buckets[i]! += 1;
      });
    },
    render() {
      const all = [...series.values()].sort((a, b) => a.labels.localeCompare(b.labels));
      const lines = ["# HELP keyward_http_requests_total Admin HTTP requests by method, route and status.", "# TYPE keyward_http_requests_total counter"];
      for (const s of all) lines.push(`keyward_http_requests_total{${s.labels}} ${s.count}`);
      lines.push("# HELP keyward_http_request_duration_seconds Admin HTTP request durations.", "# TYPE keyward_http_request_duration_seconds histogram");
      for (const s of all) {
        BUCKETS.forEach((le, i) => lines.push(`keyward_http_request_duration_seconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`));
        lines.push(`keyward_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
        lines.push(`keyward_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
        lines.push(`keyward_http_request_duration_seconds_count{${s.labels}} ${s.count}`);
      }
      return lines.join("\n") + "\n";
    },
  };
}
