import fs from "node:fs";
import path from "node:path";

/** Where `keyward-service start` puts the first start's owner token when its output is not a terminal. */
export const BOOTSTRAP_TOKEN_FILE = "bootstrap-admin-token";

export const bootstrapTokenPath = (dataDir: string) => path.join(dataDir, BOOTSTRAP_TOKEN_FILE);

/**
 * Writes the token readable by this user only. A file left by a start whose transaction failed
 * holds a token that was never stored, so it is replaced.
 */
export function writeBootstrapTokenFile(file: string, token: string): void {
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, token + "\n", { mode: 0o600, flag: "wx" });
}

/** The token file when it is still there: it should be deleted once the token is stored elsewhere. */
export function leftoverBootstrapTokenFile(dataDir: string): string | undefined {
  const file = bootstrapTokenPath(dataDir);
  return fs.existsSync(file) ? file : undefined;
}
