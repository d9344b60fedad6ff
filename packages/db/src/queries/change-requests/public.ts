import type { ChangeRequestRow } from "../../schema.js";

/** A change request as it may be shown: never its sealed value, only whether it holds one. */
export type ChangeRequest = Omit<ChangeRequestRow, "ciphertext" | "wrapped_key" | "key_id"> & { holdsValue: boolean };

/** The AAD name a set-value's value is sealed under while it waits (with the request id, version 1). */
export const CHANGE_REQUEST_VALUE = "keyward:change-request-value";

export function toChangeRequest(row: ChangeRequestRow): ChangeRequest {
  const { ciphertext, wrapped_key: _w, key_id: _k, ...rest } = row;
  return { ...rest, holdsValue: ciphertext !== null };
}
