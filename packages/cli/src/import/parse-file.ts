import path from "node:path";
import { checkEntries, isRecord, parseJsonText, type ImportEntry, type ImportFormat } from "./entries.js";
import { isDopplerDetailed, parseDopplerImport } from "./parse-doppler.js";
import { parseDotenvImport } from "./parse-dotenv.js";
import { parseInfisicalImport } from "./parse-infisical.js";
import { parseJsonImport } from "./parse-json.js";
import { isVaultKv2, parseVaultImport } from "./parse-vault.js";

const PARSERS: Record<ImportFormat, (text: string, file: string) => ImportEntry[]> = {
  dotenv: parseDotenvImport,
  json: parseJsonImport,
  doppler: parseDopplerImport,
  infisical: parseInfisicalImport,
  vault: parseVaultImport,
};

/** The format of a file: .env text unless it is JSON; a JSON array is Infisical's, {data: {data, metadata}} Vault's, {NAME: {computed, raw}} Doppler's, else a flat object. */
export function detectFormat(text: string, file: string): ImportFormat {
  const start = text.replace(/^\uFEFF/, "").trimStart()[0];
  if (start !== "{" && start !== "[") return "dotenv";
  if (path.extname(file) === ".env" || path.basename(file).startsWith(".env")) return "dotenv";
  const data = parseJsonText(text, file);
  if (Array.isArray(data)) return "infisical";
  if (isVaultKv2(data)) return "vault";
  if (isRecord(data) && isDopplerDetailed(data)) return "doppler";
  return "json";
}

/** Every entry of an import file, checked all or nothing (names, sizes, duplicates); throws ImportParseError with file:line. */
export function parseImportFile(text: string, file: string, format?: ImportFormat): { format: ImportFormat; entries: ImportEntry[] } {
  const chosen = format ?? detectFormat(text, file);
  return { format: chosen, entries: checkEntries(PARSERS[chosen](text, file), file) };
}
