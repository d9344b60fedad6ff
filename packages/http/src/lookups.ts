import { getAdminKeyByHash, getDefaultEnvironment, getEnvironmentByName, type AdminApiKey, type ChangeHub, type Database, type Environment } from "@keyward/db";
import type { Clock } from "@keyward/common";
import type { Kysely } from "kysely";

/**
 * The two reads nearly every admin request makes before its own work: the admin key behind the
 * bearer, and the environment it acts in. Each is a round trip, on a path where a write makes
 * about five (issue #18), so with a change feed they are cached:
 *  - another replica's change (or the CLI's, or psql's) arrives through the feed (migration 0580)
 *    and drops what it touched;
 *  - this process's own changes drop the caches before their response (`forget`, called by
 *    `auditedChange` when an admin key or an environment changed), so a revoked key is refused on
 *    the very next request here;
 *  - while the feed is down nothing is cached, and an entry lives at most `maxAgeMs` regardless;
 *  - a read that raced an invalidation is not stored (generation check).
 * Without a feed (a test's bare handler, or a caller that passes none) every lookup reads the database.
 * Unknown hashes are never cached: a guessed key always costs a lookup, and the sign-in limit counts it.
 */
export interface AdminLookups {
  /** An active admin key by its hash (the caller still compares the hash in constant time). */
  adminKeyByHash(hash: string): Promise<AdminApiKey | undefined>;
  defaultEnvironment(): Promise<Environment>;
  environmentByName(name: string): Promise<Environment | undefined>;
  /** Drops everything: this process just changed an admin key or an environment. */
  forget(): void;
  /** Stops listening to the feed. */
  close(): void;
}

/** At most this many keys and environments each are kept (there are a handful of each). */
const MAX_ENTRIES = 1024;
const DEFAULT = "\u0000default";

interface Entry<T> {
  value: T;
  at: number;
}

export function createAdminLookups(options: { db: Kysely<Database>; clock: Clock; changes?: ChangeHub; maxAgeMs?: number }): AdminLookups {
  const { db, clock, changes } = options;
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const keys = new Map<string, Entry<AdminApiKey>>();
  const environments = new Map<string, Entry<Environment>>();
  let live = changes?.state === "live";
  // Bumped by every invalidation: a read that started before one must not store what it read.
  let generation = 0;
  const dropKeys = () => {
    generation += 1;
    keys.clear();
  };
  const dropEnvironments = () => {
    generation += 1;
    environments.clear();
  };
  const remove = changes?.add({
    onChange(event) {
      if (event.kind === "admin_key") dropKeys();
      else if (event.kind === "environment") dropEnvironments();
    },
    onState(state) {
      live = state === "live";
      dropKeys();
      dropEnvironments();
    },
  });

  async function cached<T>(map: Map<string, Entry<T>>, key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!live) return read();
    const now = clock.now().getTime();
    const hit = map.get(key);
    if (hit && now - hit.at < maxAgeMs) return hit.value;
    const seen = generation;
    const value = await read();
    if (value !== undefined && live && seen === generation) {
      if (map.size >= MAX_ENTRIES) map.clear();
      map.set(key, { value, at: now });
    }
    return value;
  }

  return {
    adminKeyByHash: (hash) => cached(keys, hash, () => getAdminKeyByHash(db, hash)),
    defaultEnvironment: async () => (await cached(environments, DEFAULT, () => getDefaultEnvironment(db)))!,
    environmentByName: (name) => cached(environments, name, () => getEnvironmentByName(db, name)),
    forget() {
      dropKeys();
      dropEnvironments();
    },
    close() {
      remove?.();
    },
  };
}
