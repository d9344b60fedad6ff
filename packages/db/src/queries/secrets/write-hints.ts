/**
 * What the last write in this process saw of a secret: enough to write its next version in one
 * statement instead of a locked read and a write (issue #18). A hint is only a guess: the write
 * compares every field it relied on inside its own statement, and any difference (another
 * process wrote, the type or rules changed, the secret was disabled, recreated or made a signing
 * key, the master key rotated) makes it write zero rows and take the locked path, which refreshes
 * the hint. So hints need no invalidation, only a bound.
 */
export interface WriteHint {
  secretId: string;
  /** The version the secret was at: the next write is this + 1. */
  version: number;
  type: string;
  rulesJson: string | null;
  /**
   * The secret row's xmin after that write (the writing transaction's id): any later change to the
   * row by another transaction (a disable, a type change, which touches every environment's row)
   * gives it another, so the hinted statement, even re-checked after waiting for that change's
   * lock, writes nothing.
   */
  rowXmin: string;
}

export interface WriteHints {
  get(environmentId: string, name: string): WriteHint | undefined;
  set(environmentId: string, name: string, hint: WriteHint): void;
  delete(environmentId: string, name: string): void;
  readonly size: number;
}

/** Hints for at most `maxEntries` secrets (default 10,000; about 200 bytes each plus the rules' JSON); the least recently written go first. */
export function createWriteHints(maxEntries = 10_000): WriteHints {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  const map = new Map<string, WriteHint>();
  const key = (environmentId: string, name: string) => `${environmentId}\u0000${name}`;
  return {
    get: (environmentId, name) => map.get(key(environmentId, name)),
    set(environmentId, name, hint) {
      const k = key(environmentId, name);
      // Re-inserted, so the Map's order is least recently written first.
      map.delete(k);
      if (map.size >= maxEntries) map.delete(map.keys().next().value!);
      map.set(k, hint);
    },
    delete: (environmentId, name) => void map.delete(key(environmentId, name)),
    get size() {
      return map.size;
    },
  };
}
