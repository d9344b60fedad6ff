import type { Metadata } from "@grpc/grpc-js";
import { hashesEqual, hashToken, SERVICE_TOKEN_PREFIX, tokenShapeProblem } from "@keyward/common";
import { getServiceTokenByHash, type Database, type ServiceToken } from "@keyward/db";
import type { Kysely } from "kysely";

export type TokenFromMetadata = { kind: "ok"; token: string } | { kind: "missing" } | { kind: "malformed"; problem: string };

/** Reads `authorization: Bearer <token>`; the token is returned to the caller and never logged. */
export function tokenFromMetadata(metadata: Metadata): TokenFromMetadata {
  const values = metadata.get("authorization");
  if (values.length === 0) return { kind: "missing" };
  if (values.length > 1) return { kind: "malformed", problem: "more than one authorization header was sent" };
  const raw = values[0];
  if (typeof raw !== "string") return { kind: "malformed", problem: "the authorization header is not text" };
  const match = /^Bearer (.+)$/.exec(raw);
  if (!match) return { kind: "malformed", problem: 'the authorization header must be "Bearer <token>"' };
  const problem = tokenShapeProblem(match[1]!, SERVICE_TOKEN_PREFIX);
  return problem ? { kind: "malformed", problem } : { kind: "ok", token: match[1]! };
}

export type Authenticated =
  | { kind: "ok"; token: ServiceToken; tokenHash: string }
  | { kind: "missing" }
  | { kind: "malformed"; problem: string }
  | { kind: "unknown"; tokenHash: string };

/** Finds the token's row by hash and re-checks the hash in constant time. */
export async function authenticate(db: Kysely<Database>, metadata: Metadata): Promise<Authenticated> {
  const parsed = tokenFromMetadata(metadata);
  if (parsed.kind !== "ok") return parsed;
  const tokenHash = hashToken(parsed.token);
  const row = await getServiceTokenByHash(db, tokenHash);
  if (!row || !hashesEqual(row.token_hash, tokenHash)) return { kind: "unknown", tokenHash };
  return { kind: "ok", token: row, tokenHash };
}
