import { createHmac } from "node:crypto";

/** HMAC-SHA256 hex, used to chain audit rows under a key separate from the KEK. */
export function hmacHex(key: Uint8Array, data: string): string {
  return createHmac("sha256", key).update(data, "utf8").digest("hex");
}
