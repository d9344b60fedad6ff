import { recordAuditVerificationFailure, verifyAuditAgainstCheckpoint, verifyAuditChain, type AuditCheckpoint, type CheckpointCheck, type ChainCheck } from "@keyward/db";
import type { AuditVerification } from "@keyward/spec";
import { callerOf, type RouteContext, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";

type Checked = { check: ChainCheck | CheckpointCheck; checkpoint: { seq: number; time: string; source: "request" | "sink" } | null };

function toBody({ check, checkpoint }: Checked): AuditVerification {
  if (check.ok) return { ok: true, rows: check.rows, firstBadSeq: null, problem: null, checkpoint };
  if ("badCheckpoint" in check) return { ok: false, rows: null, firstBadSeq: null, problem: check.badCheckpoint, checkpoint };
  return { ok: false, rows: null, firstBadSeq: check.firstBadSeq, problem: check.problem, checkpoint };
}

/**
 * A failed verification is recorded and announced (audit row + `audit.verification_failed` event),
 * except a checkpoint the caller sent that is itself bad (malformed, wrongly signed): that is bad
 * input, not a finding about the log.
 */
async function answer(ctx: RouteContext, checked: Checked): Promise<void> {
  const body = toBody(checked);
  const callersOwnBadCheckpoint = "badCheckpoint" in checked.check && checked.checkpoint?.source === "request";
  if (!body.ok && !callersOwnBadCheckpoint) {
    await recordAuditVerificationFailure(ctx.deps.db, ctx.deps.auditKey, {
      actorType: ctx.principal?.via === "oidc" ? "oidc" : "admin",
      actor: callerOf(ctx).actor,
      problem: body.problem ?? "failed",
      firstBadSeq: body.firstBadSeq,
      at: ctx.deps.clock.now(),
    });
  }
  sendJson(ctx.res, 200, body);
}

async function against(ctx: RouteContext, checkpoint: AuditCheckpoint, publicKey: string, source: "request" | "sink"): Promise<Checked> {
  const check = await verifyAuditAgainstCheckpoint(ctx.deps.db, ctx.deps.auditKey, checkpoint, { publicKey });
  return { check, checkpoint: { seq: checkpoint.seq, time: checkpoint.time, source } };
}

/** The chain, and when the service keeps checkpoints, that it still holds the latest one. */
export const verifyAuditRoute: RouteHandler<"verifyAudit"> = async (ctx) => {
  const latest = await ctx.deps.checkpoints?.latest();
  const checked = latest ? await against(ctx, latest, ctx.deps.checkpoints!.publicKey, "sink") : { check: await verifyAuditChain(ctx.deps.db, ctx.deps.auditKey), checkpoint: null };
  await answer(ctx, checked);
};

/** The chain against a checkpoint the caller kept, signed by the service's key or the one named. */
export const verifyAuditCheckpointRoute: RouteHandler<"verifyAuditCheckpoint"> = async (ctx) => {
  const publicKey = ctx.body.publicKey ?? ctx.deps.checkpoints?.publicKey;
  if (!publicKey) throw new HttpProblem(400, "No checkpoint key", "this service signs no checkpoints; send the signer's publicKey with the checkpoint", "publicKey");
  await answer(ctx, await against(ctx, ctx.body.checkpoint, publicKey, "request"));
};
