import { readKeys } from "./terminal.js";

/** The terminal a wizard talks to: keys in, screen out. */
export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

const CLEAR_LINE = "\r\u001b[2K";

/**
 * Asks for a line of text with an optional default (shown in brackets, taken on an empty answer).
 * `check` returns a problem to show and ask again, or undefined to accept.
 */
export async function askText(io: PromptIo, question: string, options: { default?: string; check?: (answer: string) => string | undefined } = {}): Promise<string> {
  for (;;) {
    const hint = options.default ? ` [${options.default}]` : "";
    let answer = "";
    // readKeys turns raw mode on as it is called; the prompt shows after, so a key typed the moment
    // it appears is read raw (never echoed by the terminal, and Ctrl-C aborts instead of killing).
    const reading = readKeys(io.input, (key) => {
      if ("char" in key) {
        answer += key.char;
        io.output.write(key.char);
      } else if (key.name === "backspace" && answer.length > 0) {
        answer = answer.slice(0, -1);
        io.output.write("\b \b");
      } else if (key.name === "enter") return answer;
      return undefined;
    });
    io.output.write(`? ${question}${hint} `);
    const typed = await reading;
    io.output.write("\n");
    const value = typed.trim() === "" && options.default !== undefined ? options.default : typed.trim();
    const problem = options.check?.(value);
    if (!problem) return value;
    io.output.write(`  ✗ ${problem}\n`);
  }
}

/** Asks a yes/no question; Enter takes the default. */
export async function askConfirm(io: PromptIo, question: string, defaultYes = true): Promise<boolean> {
  const reading = readKeys(io.input, (key) => {
    if ("name" in key && key.name === "enter") return defaultYes;
    if ("char" in key && /[yY]/.test(key.char)) return true;
    if ("char" in key && /[nN]/.test(key.char)) return false;
    return undefined;
  });
  io.output.write(`? ${question} ${defaultYes ? "[Y/n]" : "[y/N]"} `);
  const answer = await reading;
  io.output.write(`${answer ? "yes" : "no"}\n`);
  return answer;
}

/** Picks one of `choices` with the arrow keys (or j/k) and Enter; the list redraws in place. */
export async function askSelect<T extends string>(io: PromptIo, question: string, choices: readonly { value: T; label: string }[], initial = 0): Promise<T> {
  let index = Math.max(0, Math.min(initial, choices.length - 1));
  const draw = (first: boolean) => {
    if (!first) io.output.write(`\u001b[${choices.length}A`);
    choices.forEach((c, i) => io.output.write(`${CLEAR_LINE}${i === index ? "❯" : " "} ${c.label}\n`));
  };
  const reading = readKeys(io.input, (key) => {
    if (("name" in key && key.name === "up") || ("char" in key && key.char === "k")) index = (index + choices.length - 1) % choices.length;
    else if (("name" in key && key.name === "down") || ("char" in key && key.char === "j")) index = (index + 1) % choices.length;
    else if ("name" in key && key.name === "enter") return choices[index]!.value;
    else return undefined;
    draw(false);
    return undefined;
  });
  io.output.write(`? ${question} (↑/↓, Enter)\n`);
  draw(true);
  const picked = await reading;
  io.output.write(`  → ${choices.find((c) => c.value === picked)!.label}\n`);
  return picked;
}
