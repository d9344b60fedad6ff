import type { Metadata } from "@grpc/grpc-js";
import { createAuditWriter, type NewAuditRow } from "@keyward/db";
import type { GrpcDeps } from "./deps.js";
import { safeLabel } from "./labels.js";
import { createReadFolder } from "./read-fold.js";
import { createRefusalAggregator, UNAUTHENTICATED_ACTORS } from "./refusal-audit.js";

/** The parts of any grpc-js server call (unary or stream) that an audit row reads. */
export type AuditedCall = { metadata: Metadata; getPeer(): string };

export interface AuditEntry {
  actorId: string;
  action: string;
  target: string;
  result: string;
  reason?: string | undefined;
  /** The environment of the caller's token (name), once the token is known. */
  environment?: string | undefined;
  /** How many things one row stands for (a GetSecrets row names every secret it read). */
  count?: number | undefined;
  /**
   * Set only on a GetSecret/GetSecrets value read (ok or refused): with `auditFoldReadsMs` on, its
   * identical repeats within a window may be folded into one counted row (see read-fold.ts).
   * `versions`: the version(s) read, which the row does not show but which make reads differ.
   */
  foldable?: { versions: readonly number[] } | undefined;
}

/** Writes a call's audit rows; each append resolves once its row is committed (group commit). */
export interface CallAuditor {
  record(call: AuditedCall, entry: AuditEntry): Promise<void>;
  /** The row `record` would write, for a change that commits it in its own transaction. */
  rowOf(call: AuditedCall, entry: AuditEntry): NewAuditRow;
  /** Flushes; closes the writer only if this auditor made it (a shared one is left to its owner). */
  close(): Promise<void>;
  /** Reads folded into a counted row instead of written one each (0 while folding is off). */
  foldedReads(): number;
}

export interface CallAuditorOptions {
  refusalWindowMs: number;
  /** Folds identical value reads within this window (0: off, one row per read). */
  foldReadsMs?: number;
  /** Most kinds of read being folded at once; beyond it reads are written one row each. */
  foldMaxKeys?: number;
}

const firstText = (metadata: Metadata, key: string, max: number) => {
  const v = metadata.get(key)[0];
  return typeof v === "string" ? safeLabel(v, max) : null;
};

export function createCallAuditor(deps: GrpcDeps, options: CallAuditorOptions): CallAuditor {
  const own = deps.auditWriter ? undefined : createAuditWriter({ db: deps.db, auditKey: deps.auditKey });
  const writer = deps.auditWriter ?? own!;
  const refusals = createRefusalAggregator({ writer, windowMs: options.refusalWindowMs, now: () => deps.clock.now() });
  const folder = options.foldReadsMs
    ? createReadFolder({ writer, windowMs: options.foldReadsMs, now: () => deps.clock.now(), logger: deps.logger, ...(deps.timers ? { timers: deps.timers } : {}), ...(options.foldMaxKeys ? { maxKeys: options.foldMaxKeys } : {}) })
    : undefined;
  const rowOf = (call: AuditedCall, entry: AuditEntry): NewAuditRow => ({
    at: deps.clock.now(),
    actor_type: "service",
    actor_id: entry.actorId,
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ?? null,
    ip: call.getPeer(),
    user_agent: firstText(call.metadata, "user-agent", 256),
    request_id: firstText(call.metadata, "x-request-id", 128),
    environment: entry.environment ?? null,
    ...(entry.count !== undefined ? { count: entry.count } : {}),
  });
  return {
    record: (call, entry) => {
      // Refusals of callers nobody knows yet are aggregated per address (see refusal-audit.ts).
      if (entry.result === "refused" && UNAUTHENTICATED_ACTORS.has(entry.actorId)) return refusals.note(rowOf(call, entry), call.getPeer());
      // Only value reads fold, and only those that went through (ok) or were refused.
      if (folder && entry.foldable && (entry.result === "ok" || entry.result === "refused")) return folder.note(rowOf(call, entry), entry.foldable.versions);
      return writer.append(rowOf(call, entry));
    },
    rowOf,
    close: async () => {
      await folder?.close();
      await refusals.close();
      await own?.close();
    },
    foldedReads: () => folder?.folded() ?? 0,
  };
}
