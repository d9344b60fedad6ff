import { readStdinText } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";

/** The most a value or token read from a prompt or stdin may be (the admin API's own limit). */
export const MAX_SECRET_BYTES = 64 * 1024;

interface TtyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/**
 * Reads a value or a token without it ever reaching argv, the screen or a log: on a terminal from a
 * hidden prompt (nothing echoed; Enter ends, Ctrl-C aborts), otherwise the whole of stdin with one
 * trailing newline dropped.
 */
export async function readSecret(input: NodeJS.ReadableStream | undefined, prompt: NodeJS.WritableStream, label: string): Promise<string> {
  if (!input) throw new CliError(`${label}: nothing on stdin; pipe the value in or run on a terminal`, EXIT.usage);
  const tty = input as TtyInput;
  // Piped: the shared bounded read (its errors are usage errors naming the label, never the content).
  const value = tty.isTTY && tty.setRawMode ? await readHidden(tty, prompt, label) : await readStdinText(input, label, MAX_SECRET_BYTES);
  if (value.length === 0) throw new CliError(`${label} is empty`, EXIT.usage);
  if (Buffer.byteLength(value) > MAX_SECRET_BYTES) throw new CliError(`${label} is longer than ${MAX_SECRET_BYTES} bytes`, EXIT.usage);
  return value;
}

function readHidden(input: TtyInput, prompt: NodeJS.WritableStream, label: string): Promise<string> {
  // Raw mode first, then the prompt: a value typed as soon as the prompt shows is never echoed.
  input.setRawMode!(true);
  input.resume();
  prompt.write(`${label}: `);
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (error?: Error) => {
      input.setRawMode!(false);
      input.pause();
      input.removeListener("data", onData);
      prompt.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new CliError("aborted", EXIT.failed));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on("data", onData);
  });
}
