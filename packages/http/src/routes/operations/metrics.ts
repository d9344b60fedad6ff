import type { RouteHandler } from "../../context.js";

export const getMetricsRoute: RouteHandler<"getMetrics"> = async (ctx) => {
  const text = ctx.metrics.render() + (ctx.deps.moreMetrics?.() ?? "");
  ctx.res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  ctx.res.end(text);
};
