import { SecretsConfigError } from "./config-error.js";

const LINE_KEY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$" };

/**
 * Parses a .env file: `KEY=value` lines, `export KEY=value`, `#` comments (whole-line, or starting
 * an unquoted value or following whitespace in it: `KEY=a#b` keeps `a#b`), 'single quotes' taken literally, "double quotes" with
 * \n \r \t \" \\ escapes and spanning lines. No variable expansion. A malformed line is an error
 * naming the file and line, never its content (it may hold a value).
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  return Object.fromEntries(parseDotenvEntries(text, file).map((e) => [e.name, e.value]));
}

/** One `KEY=value` of a .env file and the line it starts on (1-based). */
export interface DotenvEntry {
  name: string;
  value: string;
  line: number;
}

/** parseDotenv's entries in file order, each with its line, duplicates kept (keyward import names them). */
export function parseDotenvEntries(text: string, file: string): DotenvEntry[] {
  const out: DotenvEntry[] = [];
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let pos = 0;
  let line = 1;
  const fail = (at: number, what: string): never => {
    throw new SecretsConfigError(file, `${file}:${at}: ${what}`);
  };
  while (pos < src.length) {
    const end = src.indexOf("\n", pos) === -1 ? src.length : src.indexOf("\n", pos);
    const raw = src.slice(pos, end);
    const startLine = line;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) {
      pos = end + 1;
      line++;
      continue;
    }
    const key = LINE_KEY.exec(raw);
    if (!key) fail(startLine, "expected KEY=value (a name of letters, digits and _, then =)");
    const name = key![1]!;
    const afterEquals = pos + key![0].length;
    let i = afterEquals;
    while (src[i] === " " || src[i] === "\t") i++;
    const quote = src[i];
    let value: string;
    if (quote === '"' || quote === "'") {
      let j = i + 1;
      value = "";
      while (j < src.length && src[j] !== quote) {
        const c = src[j]!;
        if (c === "\n") line++;
        if (quote === '"' && c === "\\" && j + 1 < src.length) {
          const next = src[j + 1]!;
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      if (j >= src.length) fail(startLine, `the quoted value of ${name} is never closed (missing ${quote})`);
      const lineEnd = src.indexOf("\n", j) === -1 ? src.length : src.indexOf("\n", j);
      const rest = src.slice(j + 1, lineEnd).trim();
      if (rest !== "" && !rest.startsWith("#")) fail(line, `unexpected text after the closing quote of ${name}`);
      i = lineEnd;
    } else {
      const rest = src.slice(afterEquals, end);
      const comment = rest.search(/(^|\s)#/);
      value = (comment === -1 ? rest : rest.slice(0, comment)).trim();
      i = end;
    }
    out.push({ name, value, line: startLine });
    pos = i + 1;
    line++;
  }
  return out;
}
