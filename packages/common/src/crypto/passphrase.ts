import { randomBytes, scryptSync } from "node:crypto";
import { KeywardError } from "../errors/index.js";

/** The scrypt settings a passphrase-derived master key needs again on every start; stored, not secret. */
export interface ScryptParams {
  kdf: "scrypt";
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  /** base64, 16 random bytes per installation. */
  salt: string;
}

/** 2^17 × 8 × 128 B = 128 MiB per derivation: memory-hard, about a second, once per start. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const MIN_PASSPHRASE = 12;

/** The cost range KEYWARD_PASSPHRASE_SCRYPT_N may choose: 16 MiB to 1 GiB per derivation. */
export const SCRYPT_N_MIN = 2 ** 14;
export const SCRYPT_N_MAX = 2 ** 20;

/**
 * The scrypt cost for a NEW passphrase's parameters: KEYWARD_PASSPHRASE_SCRYPT_N (a power of two,
 * 2^14..2^20; memory is 128 × N × r bytes) or the default. Stored parameters are never re-derived
 * from it, so changing it later only affects the next new passphrase (first start, change-master).
 */
export function scryptCostFromEnv(env: Record<string, string | undefined>): { N: number; r: number; p: number } {
  const text = env.KEYWARD_PASSPHRASE_SCRYPT_N?.trim();
  if (!text) return DEFAULT_SCRYPT;
  const N = Number(text);
  if (!Number.isInteger(N) || N < SCRYPT_N_MIN || N > SCRYPT_N_MAX || (N & (N - 1)) !== 0) {
    throw new KeywardError("config", `KEYWARD_PASSPHRASE_SCRYPT_N must be a power of two from ${SCRYPT_N_MIN} to ${SCRYPT_N_MAX} (e.g. 65536 for 64 MiB), got "${text}"`, { field: "KEYWARD_PASSPHRASE_SCRYPT_N" });
  }
  return { ...DEFAULT_SCRYPT, N };
}

export function newScryptParams(cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT): ScryptParams {
  return { kdf: "scrypt", ...cost, salt: randomBytes(16).toString("base64") };
}

/** Checks stored params read back from the database; a corrupted row gets a named error, not a crash in scrypt. */
export function parseScryptParams(text: string): ScryptParams {
  let p: Partial<ScryptParams>;
  try {
    p = JSON.parse(text) as Partial<ScryptParams>;
  } catch {
    throw new KeywardError("config", "the stored passphrase KDF parameters are not JSON");
  }
  const pow2 = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
  if (p.kdf !== "scrypt") throw new KeywardError("config", `the stored passphrase KDF is "${String(p.kdf)}"; only scrypt is supported`);
  if (!pow2(p.N) || !Number.isInteger(p.r) || !Number.isInteger(p.p) || typeof p.salt !== "string" || Buffer.from(p.salt, "base64").length < 16) {
    throw new KeywardError("config", "the stored passphrase KDF parameters are incomplete (N must be a power of two, r and p integers, salt 16+ bytes)");
  }
  return p as ScryptParams;
}

/** Derives the 32-byte master key from a passphrase; the passphrase is never echoed in errors. */
export function deriveKeyFromPassphrase(passphrase: string, params: ScryptParams, variable = "KEYWARD_MASTER_PASSPHRASE"): Buffer {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new KeywardError("config", `${variable} is ${passphrase.length} characters long; use at least ${MIN_PASSPHRASE}`, { field: variable });
  }
  return scryptSync(passphrase.normalize("NFC"), Buffer.from(params.salt, "base64"), 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  });
}
