import fs from "node:fs";
import { KeywardError } from "@keyward/common";

/**
 * Creates the data directory with mode 0700, or tightens an existing one to 0700: it holds the
 * embedded database and, by default, the key files. A directory that others can write and that
 * this user cannot tighten (not its owner) is refused: someone else could swap the key files.
 * Returns the mode it had when it was tightened, for the caller to log.
 */
export function secureDataDir(dir: string): { tightenedFrom?: number } {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return {};
  }
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return {};
  try {
    fs.chmodSync(dir, 0o700);
    return { tightenedFrom: mode };
  } catch (error) {
    if ((mode & 0o022) !== 0) {
      throw new KeywardError(
        "config",
        `the data directory ${dir} is writable by other users (mode ${mode.toString(8)}) and cannot be changed (${(error as NodeJS.ErrnoException).code ?? "error"}): run the service as its owner, chmod 700 it, or set KEYWARD_DATA_DIR to a directory of the service's own`,
        { field: "KEYWARD_DATA_DIR" },
      );
    }
    return {};
  }
}
