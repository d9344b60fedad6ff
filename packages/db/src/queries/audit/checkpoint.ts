import type { Kysely } from "kysely";
import { KeywardError, signText, verifyText, type SigningKeys } from "@keyward/common";
import type { Database } from "../../schema.js";
import { GENESIS_HASH } from "./chain.js";
import { verifyAuditChainWithEnd } from "./verify.js";

/** A signed statement "the log had `seq` rows ending in `hash` at `time`", kept outside the database. */
export interface AuditCheckpoint {
  version: 1;
  seq: number;
  hash: string;
  time: string;
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  signature: string;
}

const signedText = (c: Pick<AuditCheckpoint, "seq" | "hash" | "time">) => `keyward-audit-checkpoint:v1\n${c.seq}\n${c.hash}\n${c.time}`;

/** Why the log no longer holds a checkpoint's row, or undefined when it does. */
async function missingCheckpointRow(db: Kysely<Database>, checkpoint: Pick<AuditCheckpoint, "seq" | "hash" | "time">): Promise<{ firstBadSeq: number; problem: string } | undefined> {
  if (checkpoint.seq === 0) return undefined;
  const row = await db.selectFrom("audit_log").select("hash").where("seq", "=", checkpoint.seq).executeTakeFirst();
  if (!row) {
    // A row whose partition was archived (issue #21) is vouched for by its archive, not the log; the
    // chain's start is checked against the newest archive (auditChainStart).
    const archived = await db.selectFrom("audit_partitions").select("name").where("state", "=", "archived").where("first_seq", "<=", checkpoint.seq).where("last_seq", ">=", checkpoint.seq).executeTakeFirst();
    if (archived) return undefined;
    const last = await db.selectFrom("audit_log").select((eb) => eb.fn.max("seq").as("seq")).executeTakeFirst();
    const lastSeq = Number(last?.seq ?? 0);
    if (lastSeq < checkpoint.seq) {
      return { firstBadSeq: lastSeq + 1, problem: `the log ends at seq ${lastSeq} but the checkpoint of ${checkpoint.time} covers seq ${checkpoint.seq}: rows ${lastSeq + 1}–${checkpoint.seq} were deleted` };
    }
  }
  if (row?.hash !== checkpoint.hash) return { firstBadSeq: checkpoint.seq, problem: `row ${checkpoint.seq} is not the row the checkpoint signed` };
  return undefined;
}

/**
 * Signs the current end of a verified chain with `signer`; refuses to sign a broken one. With
 * `after` (the previous checkpoint, trusted), only the rows since it are verified, and the log must
 * still hold its row: a checkpoint is never signed over a log that was truncated or rewritten.
 */
export async function createAuditCheckpoint(db: Kysely<Database>, auditKey: Uint8Array, signer: SigningKeys, at: Date, options: { after?: AuditCheckpoint } = {}): Promise<AuditCheckpoint> {
  const after = options.after;
  const check = await verifyAuditChainWithEnd(db, auditKey, after ? { seq: after.seq, hash: after.hash } : undefined);
  if (!check.ok) throw new KeywardError("conflict", `the audit chain is broken at seq ${check.firstBadSeq} (${check.problem}); not signing a checkpoint`, { reason: "audit_chain_broken" });
  const last = check.last ?? { seq: 0, hash: GENESIS_HASH };
  if (after) {
    const missing = await missingCheckpointRow(db, after);
    if (missing) throw new KeywardError("conflict", `the audit log no longer holds the last checkpoint: ${missing.problem}; not signing a checkpoint`, { reason: "audit_chain_broken" });
  }
  const body = { seq: last.seq, hash: last.hash, time: at.toISOString() };
  return { version: 1, ...body, publicKey: signer.publicKey, signature: signText(signer.privateKey, signedText(body)) };
}

/** Parses a checkpoint file, naming the first missing or malformed field. */
export function parseAuditCheckpoint(text: string): AuditCheckpoint {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new KeywardError("invalid_argument", "the checkpoint is not JSON");
  }
  if (typeof c !== "object" || c === null) throw new KeywardError("invalid_argument", "the checkpoint is not a JSON object");
  if (c.version !== 1) throw new KeywardError("invalid_argument", `checkpoint version must be 1, got ${JSON.stringify(c.version)}`, { field: "version" });
  if (!Number.isInteger(c.seq) || (c.seq as number) < 0) throw new KeywardError("invalid_argument", "checkpoint seq must be a non-negative integer", { field: "seq" });
  if (typeof c.hash !== "string" || !/^[0-9a-f]{64}$/.test(c.hash)) throw new KeywardError("invalid_argument", "checkpoint hash must be 64 hex characters", { field: "hash" });
  if (typeof c.time !== "string" || Number.isNaN(Date.parse(c.time))) throw new KeywardError("invalid_argument", "checkpoint time must be an ISO date", { field: "time" });
  for (const field of ["publicKey", "signature"] as const) {
    if (typeof c[field] !== "string") throw new KeywardError("invalid_argument", `checkpoint ${field} must be a base64 string`, { field });
  }
  return c as unknown as AuditCheckpoint;
}

export type CheckpointCheck =
  | { ok: true; rows: number; checkpointSeq: number }
  | { ok: false; firstBadSeq: number; problem: string }
  | { ok: false; badCheckpoint: string };

/**
 * Verifies the chain and that it still contains the checkpointed row with the same hash. This is
 * what catches deleting the newest rows (or every row), which leaves a shorter chain that is valid
 * on its own. The signature must be by `publicKey`: the signer the verifier trusts (pinned).
 */
export async function verifyAuditAgainstCheckpoint(db: Kysely<Database>, auditKey: Uint8Array, checkpoint: AuditCheckpoint, options: { publicKey: string }): Promise<CheckpointCheck> {
  if (checkpoint.publicKey !== options.publicKey) return { ok: false, badCheckpoint: "the checkpoint was signed by another key" };
  if (!verifyText(checkpoint.publicKey, signedText(checkpoint), checkpoint.signature)) return { ok: false, badCheckpoint: "the checkpoint's signature does not match its contents" };
  const chain = await verifyAuditChainWithEnd(db, auditKey);
  if (!chain.ok) return chain;
  const missing = await missingCheckpointRow(db, checkpoint);
  if (missing) return { ok: false, ...missing };
  return { ok: true, rows: chain.rows, checkpointSeq: checkpoint.seq };
}
