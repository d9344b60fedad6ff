import { verifyAuditChain } from "@keyward/db";
import type { AuditVerification } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

export const verifyAuditRoute: RouteHandler<"verifyAudit"> = async (ctx) => {
  const check = await verifyAuditChain(ctx.deps.db, ctx.deps.auditKey);
  const body: AuditVerification = check.ok
    ? { ok: true, rows: check.rows, firstBadSeq: null, problem: null }
    : { ok: false, rows: null, firstBadSeq: check.firstBadSeq, problem: check.problem };
  sendJson(ctx.res, 200, body);
};
