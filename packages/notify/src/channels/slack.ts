import type { EventMessage } from "./message.js";
import { SendError } from "./send-error.js";

/** The Block Kit message: a header, the subject and environment, and a button to the console page. */
export function slackPayload(message: EventMessage): Record<string, unknown> {
  const fields = [{ type: "mrkdwn", text: `*Subject*\n${escape(message.subject)}` }];
  if (message.environment) fields.push({ type: "mrkdwn", text: `*Environment*\n${escape(message.environment)}` });
  return {
    text: `${message.title}: ${message.url}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: message.title.slice(0, 150) } },
      { type: "section", fields },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Keyward" }, url: message.url, action_id: "open-console" }] },
      { type: "context", elements: [{ type: "mrkdwn", text: `${message.type} · ${message.id}` }] },
    ],
  };
}

const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** POSTs to the Slack incoming webhook URL (a credential: it never appears in errors). */
export async function sendSlack(credentials: { webhookUrl: string }, message: EventMessage, timeoutMs = 10_000): Promise<number> {
  const res = await fetch(credentials.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(slackPayload(message)),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  }).catch((e: unknown) => {
    throw new SendError(`slack unreachable: ${(e as Error).name}`);
  });
  await res.body?.cancel();
  if (!res.ok) throw new SendError(`slack answered ${res.status}`, res.status);
  return res.status;
}
