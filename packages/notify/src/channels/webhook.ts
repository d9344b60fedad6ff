import { createHmac, timingSafeEqual } from "node:crypto";
import type { EventMessage } from "./message.js";
import { SendError } from "./send-error.js";

export const SIGNATURE_HEADER = "Keyward-Signature";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp is signed, so a replay outside the window is refused. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/**
 * For receivers: checks a `Keyward-Signature` header against the raw body, in constant time, and
 * that its timestamp is within `toleranceSec` (default 300) of `now`. Returns why it fails, or "ok".
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string, now: Date = new Date(), toleranceSec = 300): "ok" | "missing" | "malformed" | "expired" | "mismatch" {
  if (!header) return "missing";
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return "malformed";
  const t = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSec) return "expired";
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, "hex")) ? "ok" : "mismatch";
}

/** POSTs the message as JSON, signed, with the event id as `Idempotency-Key`. */
export async function sendWebhook(config: { url: string }, credentials: { signingSecret: string }, message: EventMessage, at: Date, timeoutMs = 10_000): Promise<number> {
  const body = JSON.stringify({ id: message.id, type: message.type, environment: message.environment, subject: message.subject, title: message.title, url: message.url, createdAt: message.createdAt, count: message.count, data: message.data });
  const res = await fetch(config.url, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": message.id, [SIGNATURE_HEADER]: signWebhook(credentials.signingSecret, body, at), "user-agent": "keyward-notify" },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  }).catch((e: unknown) => {
    throw new SendError(`webhook unreachable: ${(e as Error).name}`);
  });
  await res.body?.cancel();
  if (!res.ok) throw new SendError(`webhook answered ${res.status}`, res.status);
  return res.status;
}
