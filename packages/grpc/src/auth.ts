import type { Metadata } from "@grpc/grpc-js";
import { hashesEqual, SERVICE_TOKEN_PREFIX, tokenShapeProblem } from "@keyward/common";
import type { BoundServiceToken } from "@keyward/db";

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

/** `row` if it is the token's, compared in constant time (a lookup by hash is by a unique index or a map key). */
export function tokenRowFor(row: BoundServiceToken | undefined, tokenHash: string): BoundServiceToken | undefined {
  return row && hashesEqual(row.token_hash, tokenHash) ? row : undefined;
}

/** The row for a token hash, re-checked in constant time (the lookup itself is by a unique index). */
export async function findTokenByHash(lookup: (tokenHash: string) => Promise<BoundServiceToken | undefined>, tokenHash: string): Promise<BoundServiceToken | undefined> {
  return tokenRowFor(await lookup(tokenHash), tokenHash);
}
