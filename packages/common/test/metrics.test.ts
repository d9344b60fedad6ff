import { describe, expect, it } from "vitest";
import { createCallMetrics } from "../src/index.js";

const make = () => createCallMetrics({ total: "t_total", duration: "t_seconds", labels: ["method", "status"] as const, help: "calls", durationHelp: "call time" });

describe("createCallMetrics", () => {
  it("counts each combination of label values as one series, a number and its text alike", () => {
    const m = make();
    m.observe({ method: "GET", status: 200 }, 0.004);
    m.observe({ method: "GET", status: "200" }, 0.02);
    m.observe({ method: "POST", status: 200 }, 3);
    m.observe({ method: "GET", status: 404 }, 0.004);
    const text = m.render();
    expect(text).toContain('t_total{method="GET",status="200"} 2\n');
    expect(text).toContain('t_total{method="GET",status="404"} 1\n');
    expect(text).toContain('t_total{method="POST",status="200"} 1\n');
    expect(text.match(/^t_total\{/gm)).toHaveLength(3);
    // Buckets are cumulative: 0.004 falls in every bucket, 0.02 from 0.025 on.
    expect(text).toContain('t_seconds_bucket{method="GET",status="200",le="0.005"} 1\n');
    expect(text).toContain('t_seconds_bucket{method="GET",status="200",le="0.025"} 2\n');
    expect(text).toContain('t_seconds_bucket{method="POST",status="200",le="2.5"} 0\n');
    expect(text).toContain('t_seconds_bucket{method="POST",status="200",le="5"} 1\n');
    expect(text).toContain('t_seconds_sum{method="GET",status="200"} 0.024\n');
  });

  it("escapes label values in the exposition, and keeps values that differ only once escaped apart", () => {
    const m = make();
    m.observe({ method: 'a"b\\c\nd', status: 1 }, 1);
    m.observe({ method: "a\\", status: "1" }, 1);
    m.observe({ method: "a", status: "\\1" }, 1);
    const text = m.render();
    expect(text).toContain('t_total{method="a\\"b\\\\c\\nd",status="1"} 1\n');
    expect(text).toContain('t_total{method="a\\\\",status="1"} 1\n');
    expect(text).toContain('t_total{method="a",status="\\\\1"} 1\n');
  });
});
