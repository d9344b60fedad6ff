import { isRecord, ImportParseError, jsonKeyLine, parseJsonText, scalarValue, type ImportEntry } from "./entries.js";
import { flatObjectEntries } from "./parse-json.js";

/** `doppler secrets --json`: every value is {computed, raw, note}. */
export function isDopplerDetailed(data: Record<string, unknown>): boolean {
  const values = Object.values(data);
  return values.length > 0 && values.every((v) => isRecord(v) && ("computed" in v || "raw" in v));
}

/**
 * Doppler: `doppler secrets download --format json --no-file` (a flat object) or `doppler secrets
 * --json` ({NAME: {computed, raw, note}}; the computed value, else the raw one).
 */
export function parseDopplerImport(text: string, file: string): ImportEntry[] {
  const data = parseJsonText(text, file);
  if (!isRecord(data)) throw new ImportParseError(file, 1, "expected a Doppler JSON object (doppler secrets download --format json, or doppler secrets --json)");
  if (!isDopplerDetailed(data)) return flatObjectEntries(data, text, file);
  return Object.entries(data).map(([name, detail]) => {
    const line = jsonKeyLine(text, name);
    const d = detail as Record<string, unknown>;
    return { name, value: scalarValue(d.computed ?? d.raw, name, file, line), line };
  });
}
