import { KeywardError, type ScryptParams } from "@keyward/common";
import type { AuditCheckpoint, TableColumn } from "@keyward/db";

/**
 * A backup file: MAGIC, the header's length (4 bytes, big-endian), the header (JSON, in clear and
 * authenticated as AAD), then the body: gzip-compressed JSON Lines encrypted with AES-256-GCM under
 * a random content key, and GCM's 16-byte tag last.
 */
export const MAGIC = Buffer.from("KEYWARD-BACKUP\n", "ascii");
export const FORMAT_VERSION = 1;
export const TAG_BYTES = 16;
/** A header is small (table list, counts, the wrapped key); a larger length is a damaged file. */
const MAX_HEADER_BYTES = 1024 * 1024;

/** How the content key is wrapped: to a passphrase, or to a recipient's public key. */
export type KeyWrap =
  | { kind: "passphrase"; kdf: ScryptParams; iv: string; wrappedKey: string }
  | { kind: "x25519"; recipient: string; ephemeralPublicKey: string; iv: string; wrappedKey: string }
  | { kind: "rsa-oaep"; recipient: string; wrappedKey: string };

export interface BackupTableHeader {
  name: string;
  rows: number;
  columns: TableColumn[];
}

export interface BackupHeader {
  format: "keyward-backup";
  version: number;
  createdAt: string;
  source: {
    host: string;
    database: "pglite" | "postgres";
    /** The master key's fingerprint: restored values decrypt only under that key. */
    masterKeyFingerprint: string | null;
  };
  /** The migrations the source had applied: a restore target must have exactly these. */
  migrations: string[];
  tables: BackupTableHeader[];
  /** The newest signed audit checkpoint the source's file sink held, if any. */
  checkpoint: AuditCheckpoint | null;
  encryption: { cipher: "aes-256-gcm"; iv: string; key: KeyWrap };
}

/** The bytes a file starts with, which are also the body's AAD. */
export function encodePreamble(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
}

const damaged = (what: string) => new KeywardError("invalid_argument", `not a readable Keyward backup: ${what}`, { field: "--in" });

/** Parses the header from the start of a file; `bytes` must hold at least the preamble. Returns it and the preamble's length. */
export function decodePreamble(bytes: Buffer): { header: BackupHeader; length: number } {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged("it does not start with the Keyward backup signature");
  const size = bytes.readUInt32BE(MAGIC.length);
  if (size > MAX_HEADER_BYTES) throw damaged(`its header claims ${size} bytes`);
  const end = MAGIC.length + 4 + size;
  if (bytes.length < end + TAG_BYTES) throw damaged("the file is truncated inside its header");
  let header: Partial<BackupHeader>;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, end).toString("utf8")) as Partial<BackupHeader>;
  } catch {
    throw damaged("its header is not JSON");
  }
  if (header.format !== "keyward-backup") throw damaged(`its header's format is ${JSON.stringify(header.format)}`);
  if (header.version !== FORMAT_VERSION) {
    throw new KeywardError("invalid_argument", `the backup has format version ${JSON.stringify(header.version)}; this keyward-service reads version ${FORMAT_VERSION} only (restore it with the Keyward version that made it)`, { field: "--in" });
  }
  const key = header.encryption?.key;
  if (header.encryption?.cipher !== "aes-256-gcm" || typeof header.encryption.iv !== "string" || !key || !["passphrase", "x25519", "rsa-oaep"].includes(key.kind)) throw damaged("its header does not say how it is encrypted");
  if (!Array.isArray(header.tables) || !Array.isArray(header.migrations)) throw damaged("its header has no table list");
  return { header: header as BackupHeader, length: end };
}
