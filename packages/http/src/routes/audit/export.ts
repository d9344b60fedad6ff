import { once } from "node:events";
import { exportAudit } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import type { RouteContext, RouteHandler } from "../../context.js";
import { auditFilterOf } from "./filter.js";

/** The last line of an export that failed after its headers went out, so no reader takes it for whole. */
export const exportIncompleteMarker = (format: "jsonl" | "csv", requestId: string): string =>
  format === "csv"
    ? `# keyward: export incomplete, the audit log could not be read to the end (request ${requestId})\n`
    : `${JSON.stringify({ error: "export_incomplete", detail: "the audit log could not be read to the end", requestId })}\n`;

/**
 * Streams @keyward/db's exportAudit (the same JSON Lines / CSV as `keyward-service audit export`)
 * with backpressure, so memory stays flat on a long log. Everything is validated, and the first
 * page queried, before the first byte; a failure after the headers ends the stream with
 * exportIncompleteMarker. The `audit.export` row records the outcome, written once the lines are out.
 */
export const exportAuditRoute: RouteHandler<"exportAudit"> = async (ctx) => {
  const format = ctx.query.format;
  const lines = exportAudit(ctx.deps.db, { format, filter: await auditFilterOf(ctx) });
  // CSV yields its header before any query: read on to the first row (or the end) so a query that
  // fails at once is still a problem+json, not a 200 cut short.
  const head = [await lines.next()];
  if (format === "csv" && !head[0]!.done) head.push(await lines.next());

  ctx.res.writeHead(200, {
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="keyward-audit.${format}"`,
    "cache-control": "no-store",
  });
  const outcome = await stream(ctx, format, head, lines);
  // The row goes in before the response ends, so a caller who has the whole export also has its row.
  try {
    await auditAdmin(ctx, outcome === "ok" ? { action: "audit.export", target: "audit", result: "ok", reason: format } : { action: "audit.export", target: "audit", result: "error", reason: `${format}: ${outcome}` });
  } catch (error) {
    ctx.deps.logger.error({ requestId: ctx.requestId, route: "/api/audit/export", err: error instanceof Error ? error.name : "error" }, "audit export could not be audited");
    if (!ctx.res.destroyed) ctx.res.end(exportIncompleteMarker(format, ctx.requestId));
    return;
  }
  if (!ctx.res.destroyed) ctx.res.end(outcome === "incomplete" ? exportIncompleteMarker(format, ctx.requestId) : undefined);
};

type Outcome = "ok" | "incomplete" | "client closed the connection";

async function stream(ctx: RouteContext<"exportAudit">, format: "jsonl" | "csv", head: IteratorResult<string>[], lines: AsyncGenerator<string>): Promise<Outcome> {
  const { res } = ctx;
  const write = async (line: string) => {
    if (!res.write(line)) await Promise.race([once(res, "drain"), once(res, "close")]);
  };
  try {
    for (const item of head) if (!item.done) await write(item.value);
    if (!head[head.length - 1]!.done) {
      for await (const line of lines) {
        if (res.destroyed) return "client closed the connection";
        await write(line);
      }
    }
    return res.destroyed ? "client closed the connection" : "ok";
  } catch (error) {
    // The error's name only: a database message can quote what it was given.
    ctx.deps.logger.error({ requestId: ctx.requestId, route: "/api/audit/export", format, err: error instanceof Error ? error.name : "error" }, "audit export failed after the headers were sent");
    await lines.return(undefined).catch(() => undefined);
    return "incomplete";
  }
}
