import fs from "node:fs";
import { SchemaError, type SchemaErrorCode } from "./errors.js";
import { fileAccessError } from "./file-access.js";
import { pointerFrom } from "./pointer.js";

/**
 * Deeper nesting than any schema or manifest needs. A document nested deeper is refused with its
 * position instead of being handed to code that recurses (ajv, structuredClone, the TypeScript
 * generator) and could overflow the stack.
 */
export const MAX_JSON_DEPTH = 256;

export interface ParseJsonOptions {
  /**
   * Report a key that appears twice in one object (JSON.parse silently keeps the last) as a
   * SchemaError with this code, at the pointer, line and column of the second occurrence.
   * `matters` limits the check to the keys it returns true for (given the key's pointer tokens,
   * e.g. ["keyward", "environment"]); every key when left out.
   */
  duplicateKeys?: { code: SchemaErrorCode; matters?: (tokens: readonly string[]) => boolean };
}

type Problem = { kind: "syntax" | "depth"; offset: number; message: string; fix: string } | { kind: "duplicate"; offset: number; message: string; fix: string; pointer: string };

/**
 * Reads and parses a JSON file. A syntax error becomes a SchemaError naming the file, line and
 * column: V8's own messages carry no line and, depending on the error, not even a position.
 * A file that cannot be read (missing, a directory, a broken symlink, no permission) is a
 * SchemaError naming the file too.
 */
export function readJsonFile(file: string, options: ParseJsonOptions = {}): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw fileAccessError(file, error, "read") ?? error;
  }
  return parseJson(text, file, options);
}

export function parseJson(text: string, file: string, options: ParseJsonOptions = {}): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const found = scanJson(source);
    const problem = found ?? { kind: "syntax", offset: source.length, message: (error as Error).message, fix: "correct the JSON syntax" };
    throw new SchemaError("invalid_json", [{ file, pointer: "", ...lineAndColumn(source, problem.offset), message: problem.message, fix: problem.fix }]);
  }
  // JSON.parse accepted it: the scan only looks for what JSON.parse lets through (deep nesting
  // only matters to what comes next, so it is checked where duplicates are).
  const duplicates = options.duplicateKeys;
  if (duplicates && typeof value === "object" && value !== null) {
    const problem = scanJson(source, duplicates.matters ?? (() => true));
    if (problem?.kind === "depth") throw new SchemaError("invalid_json", [{ file, pointer: "", ...lineAndColumn(source, problem.offset), message: problem.message, fix: problem.fix }]);
    if (problem?.kind === "duplicate") throw new SchemaError(duplicates.code, [{ file, pointer: problem.pointer, ...lineAndColumn(source, problem.offset), message: problem.message, fix: problem.fix }]);
  }
  return value;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

type Frame = { kind: "object"; key: string; keys: Map<string, number> } | { kind: "array"; index: number };

/**
 * A small JSON scanner, iterative so that no input can overflow the stack. Returns the first
 * problem (with the usual fix) or undefined. Without `duplicateMatters` it is used only after
 * JSON.parse failed, to point at the problem; with it, it also finds a key repeated in one object
 * (the first one `duplicateMatters` accepts, given the key's pointer tokens).
 */
function scanJson(text: string, duplicateMatters?: (tokens: readonly string[]) => boolean): Problem | undefined {
  let i = 0;
  const stack: Frame[] = [];
  const tokens = () => stack.map((f) => (f.kind === "object" ? f.key : String(f.index)));
  const fail = (message: string, fix: string, at = i): never => {
    throw { kind: "syntax", offset: at, message, fix } satisfies Problem;
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) fail("comments are not allowed in JSON", "remove the comment; explain a secret in its \"description\" instead");
      else return;
    }
  };
  const unexpected = (expected: string): never => {
    if (i >= text.length) return fail(`unexpected end of file, expected ${expected}`, "close every open {, [ and string");
    const c = text[i];
    if (c === "'") return fail("single quotes are not allowed in JSON", 'use double quotes: "like this"');
    return fail(`unexpected ${JSON.stringify(c)}, expected ${expected}`, `insert ${expected} before this character or remove it`);
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail("unescaped control character (such as a newline) inside a string", "write a newline as \\n and a tab as \\t", i);
      if (code === 0x5c) {
        const e = text[i + 1] ?? "";
        if (e === "u") {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) fail("invalid \\u escape", "use four hex digits, e.g. \\u00e9");
          i += 6;
          continue;
        }
        if (e === "" || !'"\\/bfnrt'.includes(e)) fail(`invalid escape \\${e}`, "escape a backslash as \\\\ (in a regex pattern too: \"\\\\d+\")");
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) fail("unterminated string", "close the string with a double quote", start);
    i++;
  };
  const literal = () => {
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) {
      WORD.lastIndex = i;
      const word = WORD.exec(text);
      if (word) fail(`unexpected word ${JSON.stringify(word[0])}`, "put strings in double quotes; the only bare words in JSON are true, false and null");
      unexpected("a value");
    }
    i += m![0].length;
  };
  /** A property name and its colon; `first` when no comma came before it. */
  const member = (frame: Frame & { kind: "object" }, first: boolean) => {
    ws();
    if (text[i] !== '"') {
      if (text[i] === "}" && !first) fail("trailing comma before }", "remove the comma after the last property");
      if (/[A-Za-z_$]/.test(text[i] ?? "")) fail("property names must be in double quotes", 'write "NAME": … instead of NAME: …');
      unexpected("a property name in double quotes");
    }
    const start = i;
    string();
    const key = JSON.parse(text.slice(start, i)) as string;
    frame.key = key;
    if (duplicateMatters) {
      const prior = frame.keys.get(key);
      if (prior !== undefined && duplicateMatters(tokens())) {
        const { line, column } = lineAndColumn(text, prior);
        throw {
          kind: "duplicate",
          offset: start,
          pointer: pointerFrom(...tokens()),
          message: `${JSON.stringify(key)} appears twice in the same object (first at line ${line}, column ${column}); JSON keeps only the last, so the other would be silently dropped`,
          fix: "remove one of the two, or rename one if both are needed",
        } satisfies Problem;
      }
      if (prior === undefined) frame.keys.set(key, start);
    }
    ws();
    if (text[i] !== ":") unexpected('":" after the property name');
    i++;
  };
  const open = (frame: Frame) => {
    if (stack.length >= MAX_JSON_DEPTH) {
      throw { kind: "depth", offset: i, message: `nested too deeply (more than ${MAX_JSON_DEPTH} levels of { and [)`, fix: "a schema or package.json needs only a few levels: look for a runaway or generated file" } satisfies Problem;
    }
    i++;
    stack.push(frame);
  };

  try {
    // Each turn reads one value; then closes whatever it completes and moves to the next value.
    for (;;) {
      ws();
      const c = text[i];
      let scalar = true;
      if (c === "{") {
        const frame: Frame = { kind: "object", key: "", keys: new Map() };
        open(frame);
        ws();
        if (text[i] === "}") i++;
        else {
          member(frame, true);
          scalar = false;
        }
      } else if (c === "[") {
        open({ kind: "array", index: 0 });
        ws();
        if (text[i] === "]") i++;
        else scalar = false;
      } else if (c === '"') string();
      else literal();
      if (!scalar) continue;
      if (c === "{" || c === "[") stack.pop();

      // A value is complete: a comma starts the next one; a closing bracket completes the container.
      let next = false;
      while (!next && stack.length > 0) {
        ws();
        const top = stack[stack.length - 1]!;
        if (top.kind === "object") {
          if (text[i] === ",") {
            i++;
            member(top, false);
            next = true;
          } else if (text[i] === "}") {
            i++;
            stack.pop();
          } else if (text[i] === '"') fail('missing "," between properties', "add a comma after the previous value");
          else unexpected('"," or "}"');
        } else if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "]") fail("trailing comma before ]", "remove the comma after the last item");
          top.index++;
          next = true;
        } else if (text[i] === "]") {
          i++;
          stack.pop();
        } else unexpected('"," or "]"');
      }
      if (!next) break;
    }
    ws();
    if (i < text.length) fail("unexpected content after the end of the JSON document", "remove it (an extra } or a second document?)");
  } catch (problem) {
    if (typeof problem === "object" && problem !== null && "offset" in problem) return problem as Problem;
    throw problem;
  }
  return undefined;
}
