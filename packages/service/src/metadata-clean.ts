import type { Clock, Envelope, Logger } from "@keyward/common";
import { cleanStoredMetadata, type Database, type MetadataClean, type MetadataDerivation, type StoredVersionRef } from "@keyward/db";
import type { SecretTypeRegistry } from "@keyward/secret-types";
import type { Kysely } from "kysely";

const PROGRESS_EVERY_MS = 5_000;

/** How many versions a log line names at most (the count is always whole). */
const NAMED = 100;

/** `development/ORDERS_DB v3`: a version by name (a `secret` field would be censored by the logger). */
const named = (refs: StoredVersionRef[]) => refs.slice(0, NAMED).map((r) => `${r.environment}/${r.secret} v${r.version}`);

/**
 * Derives the metadata of versions stored before this release's validators again (cleanStoredMetadata
 * in @keyward/db), with the registry the admin API checks values with, so no metadata stored by an
 * older validator keeps a part of a value. Logs counts and the names of the versions that need
 * setting again; never a value or any metadata.
 */
export async function cleanMetadataAtStart(
  db: Kysely<Database>,
  envelope: Envelope,
  secretTypes: SecretTypeRegistry,
  options: { auditKey: Uint8Array; clock: Clock; logger: Logger },
): Promise<MetadataClean> {
  const derive: MetadataDerivation = (type, value) => (secretTypes.get(type) === undefined ? undefined : secretTypes.validate(type, value));
  const { logger } = options;
  // A one-time pass that can take a while on a large instance (each value is opened): progress at
  // most every few seconds, so an operator (or a liveness probe's owner) sees it working.
  let lastReport = Date.now();
  const onProgress = (done: number, total: number) => {
    if (done < total && Date.now() - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = Date.now();
    logger.info({ done, total }, "deriving the metadata of stored versions again with the current secret types");
  };
  const result = await cleanStoredMetadata(db, envelope, { derive, types: secretTypes.names(), auditKey: options.auditKey, actor: "keyward", at: () => options.clock.now(), onProgress });
  if (result.checked > 0) logger.info({ checked: result.checked, replaced: result.replaced }, "derived the metadata of stored versions again with the current secret types");
  if (result.refused.length > 0) {
    logger.warn(
      { count: result.refused.length, versions: named(result.refused) },
      "stored versions that their secret type now refuses (e.g. a URL whose password needs percent-encoding): their metadata was cleared; set them again",
    );
  }
  if (result.unreadable.length > 0) logger.warn({ count: result.unreadable.length, versions: named(result.unreadable) }, "stored versions that do not open under their own binding: their metadata was cleared");
  const unknown = Object.entries(result.unknownTypes);
  if (unknown.length > 0) {
    // Type names as values, not keys: a key such as "acme-token" would be censored by the logger.
    logger.warn(
      { count: unknown.reduce((n, [, c]) => n + c, 0), types: unknown.map(([type, n]) => `${type} (${n})`) },
      "stored versions of secret types not registered at this start kept their metadata unchecked; a start that registers those types checks them",
    );
  }
  return result;
}
