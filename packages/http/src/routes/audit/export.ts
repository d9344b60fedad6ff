import { once } from "node:events";
import { exportAudit } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { auditFilterOf } from "./filter.js";

/**
 * Streams @keyward/db's exportAudit (the same JSON Lines / CSV as `keyward-service audit export`)
 * with backpressure, so memory stays flat on a long log.
 */
export const exportAuditRoute: RouteHandler<"exportAudit"> = async (ctx) => {
  const format = ctx.query.format;
  const lines = exportAudit(ctx.deps.db, { format, filter: auditFilterOf(ctx) });
  // The first line is read before the headers go out, so a bad filter is still a problem+json.
  const first = await lines.next();
  await auditAdmin(ctx, { action: "audit.export", target: "audit", result: "ok", reason: format });
  ctx.res.writeHead(200, {
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="keyward-audit.${format}"`,
    "cache-control": "no-store",
  });
  const write = async (line: string) => {
    if (!ctx.res.write(line)) await Promise.race([once(ctx.res, "drain"), once(ctx.res, "close")]);
  };
  if (!first.done) await write(first.value);
  for await (const line of lines) {
    if (ctx.res.destroyed) break;
    await write(line);
  }
  ctx.res.end();
};
