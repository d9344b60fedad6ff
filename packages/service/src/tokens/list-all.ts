import { listEnvironments, listServiceTokens, type Database, type Environment } from "@keyward/db";
import type { Kysely } from "kysely";

export interface ListedToken {
  id: string;
  serviceName: string;
  serviceVersion: string;
  environment: string;
  status: string;
  requestedAt: string;
  peerAddress: string | null;
}

/** Every token of one environment, or of each environment in order (no hashes leave the database), newest first within each. */
export async function listTokensForCli(db: Kysely<Database>, only?: Environment): Promise<ListedToken[]> {
  const out: ListedToken[] = [];
  for (const environment of only ? [only] : await listEnvironments(db)) {
    let cursor: string | undefined;
    do {
      const page = await listServiceTokens(db, { environmentId: environment.id, limit: 500, ...(cursor ? { cursor } : {}) });
      for (const t of page.items) {
        out.push({ id: t.id, serviceName: t.service_name, serviceVersion: t.service_version, environment: environment.name, status: t.status, requestedAt: new Date(t.requested_at).toISOString(), peerAddress: t.peer_address });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return out;
}

/** The tokens as an aligned table, with the environment column. */
export function tokensTable(rows: ListedToken[]): string {
  const header = ["ID", "SERVICE", "ENVIRONMENT", "STATUS", "REQUESTED", "FROM"];
  const cells = rows.map((r) => [r.id, r.serviceName, r.environment, r.status, r.requestedAt, r.peerAddress ?? "-"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [header, ...cells].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n");
}
