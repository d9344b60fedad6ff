import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { KeywardError } from "../errors/index.js";

export type KeySource = "env" | "passphrase" | "file" | "generated";
export interface LoadedKey {
  key: Buffer;
  source: KeySource;
  /** Where the key lives when it came from a file. */
  file?: string;
}

/** Parses a base64 32-byte key from an environment variable, naming the variable (never the value) on error. */
export function parseBase64Key(value: string, variable: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new KeywardError("config", `${variable} is not base64. Generate one with: openssl rand -base64 32`, { field: variable });
  }
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new KeywardError("config", `${variable} must decode to 32 bytes, but it decodes to ${key.length}. Generate one with: openssl rand -base64 32`, { field: variable });
  }
  return key;
}

/**
 * Reads a 32-byte key from `file`, or creates it with mode 0600 when `create` is set.
 * The file holds base64 text so that operators can back it up and move it safely.
 */
export function loadOrCreateKeyFile(file: string, create: boolean): LoadedKey {
  if (fs.existsSync(file)) {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeywardError("config", `key file ${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`, { field: file });
    }
    return { key: parseBase64Key(fs.readFileSync(file, "utf8"), `key file ${file}`), source: "file", file };
  }
  if (!create) {
    throw new KeywardError("config", `key file ${file} does not exist`, { field: file });
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // "wx" fails if another process created the file meanwhile, so two starts never overwrite a key.
  fs.writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  return { key, source: "generated", file };
}

/** A generated key not yet at its path: `publish` moves it there, `discard` deletes it. */
export interface StagedKey extends LoadedKey {
  /** Puts the key at its path; false when another process put one there first (then use that one). */
  publish(): boolean;
  discard(): void;
}

const STAGED_SUFFIX = ".new-";
const STALE_STAGED_MS = 60 * 60 * 1000;
/** What linkSync fails with on a file system without hard links (some SMB/CIFS and FUSE mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/**
 * Like loadOrCreateKeyFile with `create`, but a new key is written beside its path first, so the
 * caller can record it (an audit row) before the key exists for later starts: if recording fails,
 * `discard` leaves no unrecorded key behind and the next start generates and records a new one.
 * Staged files left by a crash between recording and publishing (over an hour old) are deleted.
 */
export function loadOrStageKeyFile(file: string): LoadedKey | StagedKey {
  const dir = path.dirname(file);
  const base = path.basename(file) + STAGED_SUFFIX;
  // Swept on every start, not only when the key is missing: a crash between recording a key and
  // publishing it leaves its staged file behind while the next start publishes another.
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      if (!name.startsWith(base)) continue;
      const stale = path.join(dir, name);
      try {
        if (Date.now() - fs.statSync(stale).mtimeMs > STALE_STAGED_MS) fs.unlinkSync(stale);
      } catch {
        // Gone already (another process cleaned it).
      }
    }
  }
  if (fs.existsSync(file)) return loadOrCreateKeyFile(file, false);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const staged = path.join(dir, base + randomBytes(6).toString("hex"));
  fs.writeFileSync(staged, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  const discard = () => fs.rmSync(staged, { force: true });
  return {
    key,
    source: "generated",
    file,
    publish() {
      try {
        // A hard link never replaces an existing file, so two starts never overwrite a key. A volume
        // without hard links gets an exclusive copy instead (it also never replaces a file).
        try {
          fs.linkSync(staged, file);
        } catch (error) {
          if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
          fs.copyFileSync(staged, file, fs.constants.COPYFILE_EXCL);
        }
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      } finally {
        discard();
      }
    },
    discard,
  };
}
