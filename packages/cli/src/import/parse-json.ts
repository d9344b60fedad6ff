import { isRecord, ImportParseError, jsonKeyLine, parseJsonText, scalarValue, type ImportEntry } from "./entries.js";

/** Entries of a flat {NAME: value} object (also `doppler secrets download --format json`). */
export function flatObjectEntries(data: Record<string, unknown>, text: string, file: string): ImportEntry[] {
  return Object.entries(data).map(([name, value]) => {
    const line = jsonKeyLine(text, name);
    return { name, value: scalarValue(value, name, file, line), line };
  });
}

/** A flat JSON object {NAME: "value", ...}. */
export function parseJsonImport(text: string, file: string): ImportEntry[] {
  const data = parseJsonText(text, file);
  if (!isRecord(data)) throw new ImportParseError(file, 1, "expected a JSON object of NAME: value pairs");
  return flatObjectEntries(data, text, file);
}
