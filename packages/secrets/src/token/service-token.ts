import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Service tokens start with kws_ so that secret scanners recognise a leaked one. */
export const SERVICE_TOKEN_PREFIX = "kws_";
export const DEFAULT_TOKEN_FILE = ".keyward/service-token";

/** 256 random bits, base64url, behind the kws_ prefix. */
export function createServiceToken(): string {
  return SERVICE_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * Returns the service's token, generating it on first use into `file` with mode 0600.
 * The token file is the service's identity: keep it on a persistent volume.
 */
export function generateServiceToken(options: { file?: string } = {}): { token: string; file: string; created: boolean } {
  const file = path.resolve(options.file ?? DEFAULT_TOKEN_FILE);
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, "utf8").trim();
    if (!/^kws_[A-Za-z0-9_-]{43}$/.test(token)) throw new Error(`token file ${file} does not hold a Keyward service token (kws_ followed by 43 base64url characters)`);
    return { token, file, created: false };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const token = createServiceToken();
  fs.writeFileSync(file, token + "\n", { mode: 0o600, flag: "wx" });
  return { token, file, created: true };
}
