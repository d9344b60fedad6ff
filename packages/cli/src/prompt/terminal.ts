import { CliError, EXIT } from "../exit-codes.js";

interface TtyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/** A key as the prompts see it: a printable character, or a named key. */
export type Key = { char: string } | { name: "enter" | "up" | "down" | "left" | "right" | "backspace" | "tab" | "escape" | "ctrl-c" | "ctrl-d" };

/** Splits raw terminal input into keys (arrow escape sequences, Enter, Backspace, Ctrl-C, printable text). */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < data.length; i++) {
    const ch = data[i]!;
    if (ch === "\u001b" && (data[i + 1] === "[" || data[i + 1] === "O")) {
      const code = data[i + 2];
      const name = code === "A" ? "up" : code === "B" ? "down" : code === "C" ? "right" : code === "D" ? "left" : undefined;
      if (name) {
        keys.push({ name });
        i += 2;
        continue;
      }
    }
    if (ch === "\r" || ch === "\n") keys.push({ name: "enter" });
    else if (ch === "\u007f" || ch === "\b") keys.push({ name: "backspace" });
    else if (ch === "\t") keys.push({ name: "tab" });
    else if (ch === "\u0003") keys.push({ name: "ctrl-c" });
    else if (ch === "\u0004") keys.push({ name: "ctrl-d" });
    else if (ch === "\u001b") keys.push({ name: "escape" });
    else if (ch >= " ") keys.push({ char: ch });
  }
  return keys;
}

/** Whether the input is a terminal that raw-mode prompts can drive. */
export function isInteractive(input: NodeJS.ReadableStream | undefined): input is TtyInput {
  const tty = input as TtyInput | undefined;
  return tty?.isTTY === true && typeof tty.setRawMode === "function";
}

/**
 * Reads keys in raw mode until `onKey` returns a result (not undefined). Ctrl-C and Ctrl-D abort
 * with a CliError, so a wizard stopped half way says so and exits 1.
 */
export function readKeys<T>(input: NodeJS.ReadableStream, onKey: (key: Key) => T | undefined): Promise<T> {
  if (!isInteractive(input)) throw new CliError("this prompt needs a terminal; use the non-interactive flags instead", EXIT.usage);
  input.setRawMode!(true);
  input.resume();
  return new Promise<T>((resolve, reject) => {
    const finish = (done: () => void) => {
      input.removeListener("data", onData);
      input.setRawMode!(false);
      input.pause();
      done();
    };
    const onData = (chunk: Buffer | string) => {
      for (const key of parseKeys(chunk.toString())) {
        if ("name" in key && (key.name === "ctrl-c" || key.name === "ctrl-d")) return finish(() => reject(new CliError("aborted; nothing more was written", EXIT.failed)));
        const result = onKey(key);
        if (result !== undefined) return finish(() => resolve(result));
      }
    };
    input.on("data", onData);
  });
}
