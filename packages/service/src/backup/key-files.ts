import fs from "node:fs";
import path from "node:path";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { KeywardError } from "@keyward/common";
import { publicKeyFingerprint } from "./content-key.js";

function readFile(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new KeywardError("invalid_argument", `cannot read ${flag} ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { field: flag });
  }
}

/** A recipient's public key file (PEM SPKI): X25519 or RSA (2048 bits or more). */
export function readRecipientKey(file: string): KeyObject {
  const text = readFile(file, "--recipient");
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new KeywardError("invalid_argument", `--recipient ${file} is not a PEM public key (make one with "keyward-service backup keygen --out DIR")`, { field: "--recipient" });
  }
  if (key.asymmetricKeyType === "x25519") return key;
  if (key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return key;
  throw new KeywardError("invalid_argument", `--recipient ${file} is a ${key.asymmetricKeyType ?? "unknown"} key${key.asymmetricKeyType === "rsa" ? " shorter than 2048 bits" : ""}; use an X25519 or an RSA (2048+ bits) public key`, { field: "--recipient" });
}

/** A private key file (PEM PKCS#8) to restore with. Never echoed. */
export function readIdentityKey(file: string): KeyObject {
  const text = readFile(file, "--identity");
  try {
    return createPrivateKey(text);
  } catch {
    throw new KeywardError("invalid_argument", `--identity ${file} is not a PEM private key (a passphrase-protected key is not supported)`, { field: "--identity" });
  }
}

export const PUBLIC_KEY_FILE = "backup-recipient.pub";
export const PRIVATE_KEY_FILE = "backup-identity.key";

/** Makes an X25519 pair in `dir`: the public key (0644) to back up to, the private key (0600) to restore with. Refuses to overwrite. */
export function generateBackupKeyPair(dir: string): { publicFile: string; privateFile: string; fingerprint: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const publicFile = path.join(dir, PUBLIC_KEY_FILE);
  const privateFile = path.join(dir, PRIVATE_KEY_FILE);
  for (const file of [publicFile, privateFile]) {
    if (fs.existsSync(file)) throw new KeywardError("invalid_argument", `${file} already exists; backup keygen never overwrites a key`, { field: "--out" });
  }
  const pair = generateKeyPairSync("x25519");
  fs.writeFileSync(privateFile, pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  fs.writeFileSync(publicFile, pair.publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644, flag: "wx" });
  return { publicFile, privateFile, fingerprint: publicKeyFingerprint(pair.publicKey) };
}
