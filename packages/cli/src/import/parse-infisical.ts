import { isRecord, ImportParseError, jsonKeyLine, parseJsonText, scalarValue, type ImportEntry } from "./entries.js";

/** `infisical export --format=json`: an array of {key, value, ...}. */
export function parseInfisicalImport(text: string, file: string): ImportEntry[] {
  const data = parseJsonText(text, file);
  if (!Array.isArray(data)) throw new ImportParseError(file, 1, "expected an Infisical export: a JSON array of {key, value} (infisical export --format=json)");
  return data.map((item, i) => {
    if (!isRecord(item) || typeof item.key !== "string") throw new ImportParseError(file, undefined, `item ${i} is not an object with a string "key"`);
    const line = jsonKeyLine(text, item.key);
    return { name: item.key, value: scalarValue(item.value, item.key, file, line), line };
  });
}
