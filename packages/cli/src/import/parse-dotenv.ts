import { parseDotenvEntries, SecretsConfigError } from "@keyward/secrets";
import { ImportParseError, type ImportEntry } from "./entries.js";

/**
 * A .env file: KEY=value, `export KEY=value`, comments, 'single' and "double" quotes (escapes,
 * multi-line values); the one .env parser of @keyward/secrets, with each entry's line.
 */
export function parseDotenvImport(text: string, file: string): ImportEntry[] {
  try {
    return parseDotenvEntries(text, file);
  } catch (error) {
    if (error instanceof SecretsConfigError) {
      // "FILE:LINE: what" from the .env parser.
      const match = /:(\d+): (.*)$/s.exec(error.message);
      throw new ImportParseError(file, match ? Number(match[1]) : undefined, match ? match[2]! : error.message);
    }
    throw error;
  }
}
