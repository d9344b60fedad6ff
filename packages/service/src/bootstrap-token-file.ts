import fs from "node:fs";
import path from "node:path";

/** Where `keyward-service start` puts the first start's owner token when its output is not a terminal. */
export const BOOTSTRAP_TOKEN_FILE = "bootstrap-admin-token";

export const bootstrapTokenPath = (dataDir: string) => path.join(dataDir, BOOTSTRAP_TOKEN_FILE);

/**
 * Writes the token readable by this user only, synced to disk (with its directory entry) before the
 * caller commits the key. A file left by a start whose transaction failed holds a token that was
 * never stored, so it is replaced; "wx" never follows a link planted at the path.
 */
export function writeBootstrapTokenFile(file: string, token: string): void {
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    fs.writeSync(fd, token + "\n");
    fs.fsyncSync(fd);
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  } finally {
    fs.closeSync(fd);
  }
  const dir = fs.openSync(path.dirname(file), "r");
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

/** The token file when it is still there: it should be deleted once the token is stored elsewhere. */
export function leftoverBootstrapTokenFile(dataDir: string): string | undefined {
  const file = bootstrapTokenPath(dataDir);
  return fs.existsSync(file) ? file : undefined;
}
