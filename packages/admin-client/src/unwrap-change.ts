import type { ChangeRequest } from "@keyward/spec";
import { unwrap } from "./create-admin-client.js";

/**
 * What a change in a possibly protected environment came to: `done` with the 200 body, or `held`
 * with the change request (HTTP 202) that waits for other people's approval. Neither holds a value.
 */
export type ChangeOutcome<T> = { kind: "done"; data: Exclude<T, ChangeRequest> } | { kind: "held"; changeRequest: ChangeRequest };

/** Unwraps a call that a protected environment may answer with 202: a typed outcome, or AdminApiError for a refusal. */
export async function unwrapChange<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<ChangeOutcome<T>> {
  const result = await call;
  if (result.response.status === 202) return { kind: "held", changeRequest: result.data as ChangeRequest };
  return { kind: "done", data: (await unwrap(Promise.resolve(result))) as Exclude<T, ChangeRequest> };
}
