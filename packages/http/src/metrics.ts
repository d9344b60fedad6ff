import { createCallMetrics, type CallMetrics } from "@keyward/common";

export type HttpMetrics = CallMetrics<"method" | "route" | "status">;

/** Request counts and durations by method, route template and status; routes are templates, so label sets stay few. */
export const createHttpMetrics = (): HttpMetrics =>
  createCallMetrics({ total: "keyward_http_requests_total", duration: "keyward_http_request_duration_seconds", labels: ["method", "route", "status"], help: "Admin HTTP requests by method, route and status.", durationHelp: "Admin HTTP request durations." });
