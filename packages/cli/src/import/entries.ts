import { secretNameProblem } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";
import { MAX_SECRET_BYTES } from "../prompt/read-secret.js";

/** The formats keyward import reads. */
export const IMPORT_FORMATS = ["dotenv", "json", "doppler", "infisical", "vault"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One secret from an import file: its name, value and the line it is on (where the format has one). */
export interface ImportEntry {
  name: string;
  value: string;
  line: number;
}

/**
 * A file keyward import cannot read: names the file and line and what is wrong, never a value.
 * Every parser throws only this (fuzzed in test/import-parsers.test.ts).
 */
export class ImportParseError extends CliError {
  override name = "ImportParseError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${problem}`, EXIT.failed);
  }
}

/** The 1-based line of the first `"key"` in JSON text (1 when it cannot be found). */
export function jsonKeyLine(text: string, key: string): number {
  const at = text.indexOf(JSON.stringify(key));
  return at === -1 ? 1 : text.slice(0, at).split("\n").length;
}

/** JSON.parse with the failure as an ImportParseError naming the line. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split("\n").length : undefined;
    throw new ImportParseError(file, line, "not valid JSON");
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks every entry, all or nothing: a valid secret name, a value within the size limit, no name
 * given twice. The first problem is thrown with its file:line.
 */
export function checkEntries(entries: ImportEntry[], file: string): ImportEntry[] {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const problem = secretNameProblem(entry.name);
    if (problem) throw new ImportParseError(file, entry.line, `${JSON.stringify(entry.name.slice(0, 140))} is not a valid secret name: ${problem}`);
    if (Buffer.byteLength(entry.value) > MAX_SECRET_BYTES) throw new ImportParseError(file, entry.line, `the value of ${entry.name} is longer than ${MAX_SECRET_BYTES} bytes`);
    const before = seen.get(entry.name);
    if (before !== undefined) throw new ImportParseError(file, entry.line, `${entry.name} is given twice (also on line ${before}); keep one`);
    seen.set(entry.name, entry.line);
  }
  return entries;
}

/** A JSON value as a secret value: strings as they are, numbers and booleans as text; anything else is named. */
export function scalarValue(value: unknown, name: string, file: string, line: number): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ImportParseError(file, line, `the value of ${JSON.stringify(name.slice(0, 140))} is ${value === null ? "null" : Array.isArray(value) ? "an array" : "an object"}; a secret value is a string`);
}
