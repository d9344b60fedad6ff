import { decodeUtf8 } from "../utf8.js";
import { UsageError } from "./command-io.js";

/**
 * All of piped stdin as text, less one trailing newline, for a value, token or passphrase that must
 * not come from argv. Past `maxBytes`, or empty, is a UsageError naming `what` (never its content).
 */
export async function readStdinText(stdin: NodeJS.ReadableStream | undefined, what: string, maxBytes: number, hint = ""): Promise<string> {
  if (!stdin) throw new UsageError(`the ${what} is read from stdin, and there is none${hint}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes + 2) throw new UsageError(`the ${what} on stdin is longer than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  // Strict: a lenient decode would store U+FFFD in place of the bytes that were piped.
  const decoded = decodeUtf8(Buffer.concat(chunks));
  if (decoded === undefined) throw new UsageError(`the ${what} on stdin is not valid UTF-8 text${hint}`);
  const text = decoded.replace(/\r?\n$/, "");
  if (text === "") throw new UsageError(`the ${what} on stdin is empty${hint}`);
  if (Buffer.byteLength(text) > maxBytes) throw new UsageError(`the ${what} on stdin is longer than ${maxBytes} bytes`);
  return text;
}
