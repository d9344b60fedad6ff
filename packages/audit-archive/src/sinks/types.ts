import type { Readable } from "node:stream";
import { KeywardError } from "@keyward/common";
import { ARCHIVE_NAME_PATTERN } from "../format.js";

/** Where archives are kept. Archives are immutable: `put` of a name that holds other bytes is refused. */
export interface ArchiveSink {
  /** Where the sink writes, safe to log (never credentials). */
  readonly description: string;
  /**
   * Stores `body` under `name`, all or nothing: a failed or interrupted put leaves no object under
   * `name`. Putting the same bytes again is a no-op; other bytes under an existing name are a conflict.
   */
  put(name: string, body: Readable): Promise<void>;
  /** The stored bytes; a KeywardError "not_found" when there is no such archive. */
  get(name: string): Promise<Readable>;
  /** Every archive's name, sorted (so by seq); other objects are left out. */
  list(): Promise<string[]>;
  exists(name: string): Promise<boolean>;
}

/** Sinks take only archive names, which also keeps a name from escaping the directory or prefix. */
export function checkArchiveName(name: string): void {
  if (typeof name !== "string" || !ARCHIVE_NAME_PATTERN.test(name)) {
    throw new KeywardError("invalid_argument", `${JSON.stringify(String(name).slice(0, 80))} is not an archive name (audit-<20 digits>-<20 digits>.jsonl.gz)`, { field: "name" });
  }
}

export const archiveExistsError = (name: string, where: string) =>
  new KeywardError("conflict", `archive ${name} already exists in ${where} with different contents; archives are never replaced`, { reason: "archive_exists" });

export const archiveNotFound = (name: string, where: string) => new KeywardError("not_found", `archive ${name} is not in ${where}`, { reason: "archive_not_found" });
