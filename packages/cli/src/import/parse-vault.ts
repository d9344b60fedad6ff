import { isRecord, ImportParseError, parseJsonText, type ImportEntry } from "./entries.js";
import { flatObjectEntries } from "./parse-json.js";

/** `vault kv get -format=json` of a KV v2 secret: {data: {data: {...}, metadata: {...}}}. */
export function isVaultKv2(data: unknown): data is { data: { data: Record<string, unknown> } } {
  return isRecord(data) && isRecord(data.data) && isRecord(data.data.data) && "metadata" in data.data;
}

export function parseVaultImport(text: string, file: string): ImportEntry[] {
  const data = parseJsonText(text, file);
  if (!isVaultKv2(data)) throw new ImportParseError(file, 1, "expected a Vault KV v2 secret as printed by vault kv get -format=json ({data: {data: {...}, metadata}})");
  return flatObjectEntries(data.data.data, text, file);
}
