import type { AuditWriter, NewAuditRow } from "@keyward/db";
import { peerAddress } from "./identity.js";

/** Actor ids of callers that are not (yet) known: their refusals are audited in aggregate. */
export const UNAUTHENTICATED_ACTORS: ReadonlySet<string> = new Set(["(none)", "(unknown)", "(limited)"]);

export interface RefusalAggregator {
  /** Audits a refusal of an unauthenticated caller: the first per address, action and reason in a window at once, the rest as one counted row. */
  note(row: NewAuditRow, peer: string): Promise<void>;
  /** Writes the counted rows now (and stops the timer when closing). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Tally {
  first: NewAuditRow;
  address: string;
  more: number;
}

/**
 * Without this, every call with an unknown or malformed token (or none) would write an audit row,
 * so anyone who can reach the port could grow the log without bound. Per window and per (address,
 * action, reason), the first refusal is written at once, before the answer, like any other; the
 * others are counted and written as one row (`count`, target `peer:<address>`) when the window
 * closes. So an attack is on record within a window, and costs at most two rows per address per window.
 */
export function createRefusalAggregator(options: { writer: AuditWriter; windowMs: number; now: () => Date; maxKeys?: number }): RefusalAggregator {
  const maxKeys = options.maxKeys ?? 10_000;
  let tallies = new Map<string, Tally>();
  const flush = async () => {
    const closing = tallies;
    tallies = new Map();
    const rows: Promise<void>[] = [];
    for (const t of closing.values()) {
      if (t.more === 0) continue;
      rows.push(
        options.writer.append({
          at: options.now(),
          actor_type: t.first.actor_type,
          actor_id: t.first.actor_id,
          action: t.first.action,
          target: `peer:${t.address}`,
          result: "refused",
          reason: t.first.reason ?? null,
          ip: t.address,
          user_agent: null,
          request_id: null,
          count: t.more,
        }),
      );
    }
    await Promise.all(rows);
  };
  const timer = setInterval(() => void flush().catch(() => undefined), options.windowMs);
  timer.unref();
  return {
    async note(row, peer) {
      const address = peerAddress(peer);
      const key = `${address}\u0000${row.action}\u0000${row.reason ?? ""}`;
      const tally = tallies.get(key);
      if (tally) {
        tally.more++;
        return;
      }
      // Bounded memory under a flood from many addresses: write what is counted so far, start over.
      if (tallies.size >= maxKeys) await flush();
      tallies.set(key, { first: row, address, more: 0 });
      await options.writer.append(row);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
