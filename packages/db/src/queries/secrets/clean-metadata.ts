import { sql, type Kysely, type SqlBool } from "kysely";
import { isKeywardError, type Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { inAuditedTransaction } from "../audit/audited.js";
import { writeCheckedMetadata, type CheckedMetadata } from "./write-checked-metadata.js";

/**
 * What the current validator of `type` derives from a value: its metadata, a refusal (the value no
 * longer passes its type; the problem is not kept), or undefined when `type` is not a type this
 * process knows (a custom type not registered at this start). The service passes the secret-type
 * registry's `validate` (db does not depend on @keyward/secret-types).
 */
export type MetadataDerivation = (type: string, value: string) => { ok: true; metadata: Record<string, string | number | boolean> } | { ok: false; problem: string } | undefined;

/** A stored version, by name: never its value or its metadata. */
export interface StoredVersionRef {
  environment: string;
  secret: string;
  version: number;
}

export interface MetadataClean {
  /** Versions whose value was opened and whose metadata was derived again (and marked as checked). */
  checked: number;
  /** Of those, versions whose stored metadata differed from what the current validator derives: replaced. */
  replaced: number;
  /** Versions the current validator refuses: their metadata is cleared (null); they should be set again. */
  refused: StoredVersionRef[];
  /** Versions whose value does not open under its binding: their metadata is cleared (null). */
  unreadable: StoredVersionRef[];
  /** Versions of a type this process does not know (a custom type not registered now), per type: left for a later start. */
  unknownTypes: Record<string, number>;
}

const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_RETRIES = 3;

/**
 * Derives the metadata of every version stored before this release's validators again (migration
 * 0620: metadata_version 1, with metadata): older validators kept parts of some values (a token URL's
 * query, a password the URL parser split into the host) in that clear-text metadata. Each value is
 * opened, its secret type's current validator run on it (`derive`), and its metadata replaced when it
 * differs, on the version and, for a current version, on the secret's row; a value its type now
 * refuses, or one that does not open, keeps no metadata. Every checked version is marked (2), so a
 * later start finds nothing (one probe of an empty partial index).
 *
 * Batches are one transaction each, with one audit row (`values.metadata_clean`) when they changed
 * something; the secrets' rows are locked first, in id order, then their versions (the order a value
 * write takes them), so replicas starting together split the work, and a killed run resumes where it
 * stopped. A batch the database rolls back as a deadlock victim runs again. A batch sends the same
 * statements whatever its size: it reads its candidates, locks, and writes every outcome in one
 * statement (writeCheckedMetadata), so a pass costs a few round trips per batch, not one per version.
 */
export async function cleanStoredMetadata(
  db: Kysely<Database>,
  envelope: Envelope,
  change: {
    derive: MetadataDerivation;
    /** The types `derive` knows: versions of other types are not locked or opened, only counted. */
    types: readonly string[];
    auditKey: Uint8Array;
    actor: string;
    at: () => Date;
    batchSize?: number;
    /** Called after each batch with the versions done so far and how many there were to do at the start. */
    onProgress?: (done: number, total: number) => void;
  },
): Promise<MetadataClean> {
  const batchSize = change.batchSize ?? 200;
  const result: MetadataClean = { checked: 0, replaced: 0, refused: [], unreadable: [], unknownTypes: {} };
  const pending = await uncheckedByType(db);
  let total = 0;
  for (const [type, n] of pending) {
    if (change.types.includes(type)) total += n;
    else result.unknownTypes[type] = n;
  }
  if (total === 0) return result;
  let done = 0;
  let after = { secretId: "", version: 0 };
  for (;;) {
    const batch = await retried(() => cleanBatch(db, envelope, change, after, batchSize));
    result.checked += batch.checked;
    result.replaced += batch.replaced;
    result.refused.push(...batch.refused);
    result.unreadable.push(...batch.unreadable);
    for (const [type, n] of Object.entries(batch.unknownTypes)) result.unknownTypes[type] = (result.unknownTypes[type] ?? 0) + n;
    done += batch.count;
    if (batch.count > 0) change.onProgress?.(Math.min(done, total), total);
    if (!batch.last || batch.count < batchSize) return result;
    after = batch.last;
  }
}

/** The versions still to check, per secret type (one grouped read of the partial index of migration 0620). */
async function uncheckedByType(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("secret_versions as v")
    .innerJoin("secrets as s", "s.id", "v.secret_id")
    .innerJoin("secret_definitions as d", "d.name", "s.name")
    .select(["d.type", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("v.metadata_version", "<", 2)
    .where("v.metadata_json", "is not", null)
    .groupBy("d.type")
    .execute();
  return new Map(rows.map((r) => [r.type, Number(r.n)]));
}

async function retried<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = String((error as { code?: unknown } | null)?.code);
      if (attempt >= MAX_RETRIES || !RETRYABLE.has(code)) throw error;
    }
  }
}

type Key = { secretId: string; version: number };

/**
 * Versions after `key` in (secret_id, version) order, as a row comparison: the index (the partial
 * one of migration 0620, or the primary key) starts its scan at the key. The same bound spelled with
 * OR is only a filter: every batch read the index from its start, each pass quadratic in its size.
 */
const pastCursor = (key: Key) => sql<SqlBool>`(secret_id, version) > (${key.secretId}, ${key.version})`;

/** Versions up to `key`, inclusive, likewise. */
const upTo = (key: Key) => sql<SqlBool>`(secret_id, version) <= (${key.secretId}, ${key.version})`;

async function cleanBatch(
  db: Kysely<Database>,
  envelope: Envelope,
  change: { derive: MetadataDerivation; types: readonly string[]; auditKey: Uint8Array; actor: string; at: () => Date },
  after: Key,
  batchSize: number,
): Promise<MetadataClean & { count: number; last: Key | undefined }> {
  return inAuditedTransaction(db, change.auditKey, async (trx, audit) => {
    const out: MetadataClean = { checked: 0, replaced: 0, refused: [], unreadable: [], unknownTypes: {} };
    // The next versions still to check (the partial index of migration 0620), unlocked: only to know whose rows to lock.
    // Of the types `derive` knows only: the others are neither locked nor opened, at every start.
    // The type is looked up per version by a LATERAL subquery that OFFSET 0 keeps from being
    // flattened into a join: the plan has to walk the index from the cursor and stop at the batch's
    // size, and estimates one row per version, so its cost stays that of a batch. As IN (subquery),
    // a planner with stale statistics could read every secret of the types for every batch; as a
    // filter it cannot estimate, it costed the whole index and compiled the statement with JIT.
    const candidates = await trx
      .selectFrom("secret_versions")
      .innerJoinLateral(
        (eb) => eb.selectFrom("secrets as s").innerJoin("secret_definitions as d", "d.name", "s.name").select("s.id").whereRef("s.id", "=", "secret_versions.secret_id").where("d.type", "in", [...change.types]).offset(0).as("known"),
        (join) => join.onTrue(),
      )
      .select(["secret_versions.secret_id", "secret_versions.version"])
      .where("secret_versions.metadata_version", "<", 2)
      .where("secret_versions.metadata_json", "is not", null)
      .where(pastCursor(after))
      .orderBy("secret_versions.secret_id")
      .orderBy("secret_versions.version")
      .limit(batchSize)
      .execute();
    const lastCandidate = candidates[candidates.length - 1];
    if (!lastCandidate) return { ...out, count: 0, last: undefined };
    const last = { secretId: lastCandidate.secret_id, version: lastCandidate.version };
    const secretIds = [...new Set(candidates.map((c) => c.secret_id))];
    // The secrets' rows first, in id order: a value write locks its secret's row before it prunes versions.
    const secrets = await trx
      .selectFrom("secrets as s")
      .innerJoin("secret_definitions as d", "d.name", "s.name")
      .innerJoin("environments as e", "e.id", "s.environment_id")
      .select(["s.id", "s.name", "s.current_version", "d.type", "e.name as environment"])
      .where("s.id", "in", secretIds)
      .orderBy("s.id")
      .forUpdate(["s"])
      .execute();
    const secretOf = new Map(secrets.map((s) => [s.id, s]));
    // Then the versions, read again under the lock: another replica may have checked them meanwhile.
    const rows = await trx
      .selectFrom("secret_versions")
      .select(["secret_id", "version", "ciphertext", "wrapped_key", "key_id", "aad_version", "metadata_json"])
      .where("secret_id", "in", secretIds)
      .where("metadata_version", "<", 2)
      .where("metadata_json", "is not", null)
      .where(pastCursor(after))
      .where(upTo(last))
      .orderBy("secret_id")
      .orderBy("version")
      .forUpdate()
      .execute();
    // Every version's outcome, written together below: one statement per batch, whatever its size.
    const writes: CheckedMetadata[] = [];
    let changed = 0;
    for (const row of rows) {
      const secret = secretOf.get(row.secret_id);
      if (!secret) continue;
      const ref = { environment: secret.environment, secret: secret.name, version: row.version };
      let plaintext: string | undefined;
      if (row.aad_version === 2) {
        if (!envelope.hasKey(row.key_id)) await envelope.reload?.(trx);
        try {
          plaintext = envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, row.secret_id, row.version, secret.name);
        } catch (error) {
          if (!isKeywardError(error) || error.code !== "crypto") throw error;
        }
      }
      let metadataJson: string | null;
      if (plaintext === undefined) {
        // Refused on every read; its metadata cannot be checked, and is of no use without the value.
        out.unreadable.push(ref);
        metadataJson = null;
      } else {
        const derived = change.derive(secret.type, plaintext);
        if (derived === undefined) {
          out.unknownTypes[secret.type] = (out.unknownTypes[secret.type] ?? 0) + 1;
          continue;
        }
        out.checked++;
        if (derived.ok) {
          metadataJson = Object.keys(derived.metadata).length > 0 ? JSON.stringify(derived.metadata) : null;
          if (metadataJson === row.metadata_json) {
            // Already right: only marked as checked (the same text is written back).
            writes.push({ secretId: row.secret_id, version: row.version, metadataJson, onSecret: false });
            continue;
          }
          out.replaced++;
        } else {
          out.refused.push(ref);
          metadataJson = null;
        }
      }
      changed++;
      // The admin pages read the current version's metadata from the secret's row (migration 0610).
      writes.push({ secretId: row.secret_id, version: row.version, metadataJson, onSecret: row.version === secret.current_version });
    }
    await writeCheckedMetadata(trx, writes);
    if (changed > 0) {
      audit({ at: change.at(), actor_type: "system", actor_id: change.actor, action: "values.metadata_clean", target: "secret_versions", result: "ok", reason: `metadata of ${changed} versions derived again: ${out.replaced} replaced, ${out.refused.length} cleared (refused by their type now), ${out.unreadable.length} cleared (value unreadable)` });
    }
    return { ...out, count: candidates.length, last };
  });
}
