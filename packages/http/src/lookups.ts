import { getAdminKeyByHash, getDefaultEnvironment, getEnvironmentByName, type AdminApiKey, type ChangeHub, type Database, type Environment } from "@keyward/db";
import { createInvalidatingMap, type Clock, type InvalidatingMap } from "@keyward/common";
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
 *  - a read that raced an invalidation is not stored (`createInvalidatingMap`, as gRPC's caches).
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

export function createAdminLookups(options: { db: Kysely<Database>; clock: Clock; changes?: ChangeHub; maxAgeMs?: number }): AdminLookups {
  const { db, clock, changes } = options;
  // The same map gRPC's caches use: a fill that raced an invalidation is not stored, entries age out.
  const mapOptions = { maxEntries: MAX_ENTRIES, maxAgeMs: options.maxAgeMs ?? 30_000, now: () => clock.now().getTime() };
  const keys = createInvalidatingMap<string, AdminApiKey | undefined>(mapOptions);
  const environments = createInvalidatingMap<string, Environment | undefined>(mapOptions);
  const setCaching = (on: boolean) => {
    keys.setCaching(on);
    environments.setCaching(on);
  };
  // Without a feed, or while it is down, nothing is kept.
  setCaching(changes?.state === "live");
  const remove = changes?.add({
    onChange(event) {
      if (event.kind === "admin_key") keys.clear();
      else if (event.kind === "environment") environments.clear();
    },
    onState: (state) => setCaching(state === "live"),
  });
  const found = (value: unknown) => value !== undefined;
  const cached = async <V>(map: InvalidatingMap<string, V | undefined>, key: string, read: () => Promise<V | undefined>): Promise<V | undefined> => map.get(key) ?? map.fill(key, read, found);

  return {
    adminKeyByHash: (hash) => cached(keys, hash, () => getAdminKeyByHash(db, hash)),
    defaultEnvironment: async () => (await cached(environments, DEFAULT, () => getDefaultEnvironment(db)))!,
    environmentByName: (name) => cached(environments, name, () => getEnvironmentByName(db, name)),
    forget() {
      keys.clear();
      environments.clear();
    },
    close() {
      remove?.();
    },
  };
}
