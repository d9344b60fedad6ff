import fs from "node:fs";
import { SchemaError } from "./errors.js";

interface SyntaxProblem {
  offset: number;
  message: string;
  fix: string;
}

/**
 * Reads and parses a JSON file. A syntax error becomes a SchemaError naming the file, line and
 * column: V8's own messages carry no line and, depending on the error, not even a position.
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SchemaError("not_found", [{ file, pointer: "", message: "file does not exist", fix: "check the path" }]);
    }
    throw error;
  }
  return parseJson(text, file);
}

export function parseJson(text: string, file: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    const problem = findSyntaxProblem(source) ?? { offset: source.length, message: (error as Error).message, fix: "correct the JSON syntax" };
    const { line, column } = lineAndColumn(source, problem.offset);
    throw new SchemaError("invalid_json", [{ file, pointer: "", line, column, message: problem.message, fix: problem.fix }]);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** A small JSON scanner used only after JSON.parse failed, to point at the first problem and name the usual fix. */
function findSyntaxProblem(text: string): SyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string, fix: string, at = i): never => {
    throw { offset: at, message, fix } satisfies SyntaxProblem;
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
      if (text[i] === "\\") {
        const e = text[i + 1] ?? "";
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape", "use four hex digits, e.g. \\u00e9");
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === "") fail(`invalid escape \\${e}`, "escape a backslash as \\\\ (in a regex pattern too: \"\\\\d+\")");
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= text.length) fail("unterminated string", "close the string with a double quote", start);
    i++;
  };
  const literal = () => {
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) {
      const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
      if (word) fail(`unexpected word ${JSON.stringify(word[0])}`, "put strings in double quotes; the only bare words in JSON are true, false and null");
      unexpected("a value");
    }
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    literal();
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === "}") return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') {
        if (text[i] === "}") fail("trailing comma before }", "remove the comma after the last property");
        if (/[A-Za-z_$]/.test(text[i] ?? "")) fail("property names must be in double quotes", 'write "NAME": … instead of NAME: …');
        unexpected('a property name in double quotes');
      }
      string();
      ws();
      if (text[i] !== ":") unexpected('":" after the property name');
      i++;
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") return void i++;
      if (text[i] === '"') fail('missing "," between properties', "add a comma after the previous value");
      unexpected('"," or "}"');
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === "]") return void i++;
    for (;;) {
      ws();
      if (text[i] === "]") fail("trailing comma before ]", "remove the comma after the last item");
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") return void i++;
      unexpected('"," or "]"');
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail("unexpected content after the end of the JSON document", "remove it (an extra } or a second document?)");
  } catch (problem) {
    if (typeof problem === "object" && problem !== null && "offset" in problem) return problem as SyntaxProblem;
    throw problem;
  }
  return undefined;
}
