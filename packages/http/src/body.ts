import type { IncomingMessage } from "node:http";
import { decodeUtf8, illFormedTextPath } from "@keyward/common";
import { HttpProblem } from "./problem.js";

export const DEFAULT_MAX_BODY_BYTES = 128 * 1024;

/** Reads a JSON body of at most `limit` bytes; undefined when the request has none. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const length = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if (!chunked && (length === undefined || length === "0")) return undefined;
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new HttpProblem(415, "Unsupported media type", "send the body as application/json", "content-type");
  if (length !== undefined && Number(length) > limit) throw new HttpProblem(413, "Body too large", `the limit is ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpProblem(413, "Body too large", `the limit is ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  // Strict: a lenient decode would store U+FFFD in place of what was sent, and answer success.
  const text = decodeUtf8(Buffer.concat(chunks));
  if (text === undefined) throw new HttpProblem(400, "Invalid text", "the body is not valid UTF-8: send text as UTF-8", "body");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // The parser's message can quote the input, so it is not passed on.
    throw new HttpProblem(400, "Invalid JSON", "the body is not valid JSON", "body");
  }
  const illFormed = illFormedTextPath(body);
  if (illFormed !== undefined) throw new HttpProblem(400, "Invalid text", `${illFormed || "body"}: contains an unpaired surrogate (\\u escape), which is not valid Unicode text`, illFormed || "body");
  return body;
}
