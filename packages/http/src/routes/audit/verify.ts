import { verifyAuditAgainstCheckpoint, verifyAuditChain, type AuditCheckpoint, type CheckpointCheck, type ChainCheck } from "@keyward/db";
import type { AuditVerification } from "@keyward/spec";
import type { RouteContext, RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";

type Checked = { check: ChainCheck | CheckpointCheck; checkpoint: { seq: number; time: string; source: "request" | "sink" } | null };

function toBody({ check, checkpoint }: Checked): AuditVerification {
  if (check.ok) return { ok: true, rows: check.rows, firstBadSeq: null, problem: null, checkpoint };
  if ("badCheckpoint" in check) return { ok: false, rows: null, firstBadSeq: null, problem: check.badCheckpoint, checkpoint };
  return { ok: false, rows: null, firstBadSeq: check.firstBadSeq, problem: check.problem, checkpoint };
}

async function against(ctx: RouteContext, checkpoint: AuditCheckpoint, publicKey: string, source: "request" | "sink"): Promise<Checked> {
  const check = await verifyAuditAgainstCheckpoint(ctx.deps.db, ctx.deps.auditKey, checkpoint, { publicKey });
  return { check, checkpoint: { seq: checkpoint.seq, time: checkpoint.time, source } };
}

/** The chain, and when the service keeps checkpoints, that it still holds the latest one. */
export const verifyAuditRoute: RouteHandler<"verifyAudit"> = async (ctx) => {
  const latest = await ctx.deps.checkpoints?.latest();
  const checked = latest ? await against(ctx, latest, ctx.deps.checkpoints!.publicKey, "sink") : { check: await verifyAuditChain(ctx.deps.db, ctx.deps.auditKey), checkpoint: null };
  sendJson(ctx.res, 200, toBody(checked));
};

/** The chain against a checkpoint the caller kept, signed by the service's key or the one named. */
export const verifyAuditCheckpointRoute: RouteHandler<"verifyAuditCheckpoint"> = async (ctx) => {
  const publicKey = ctx.body.publicKey ?? ctx.deps.checkpoints?.publicKey;
  if (!publicKey) throw new HttpProblem(400, "No checkpoint key", "this service signs no checkpoints; send the signer's publicKey with the checkpoint", "publicKey");
  sendJson(ctx.res, 200, toBody(await against(ctx, ctx.body.checkpoint, publicKey, "request")));
};
