import fs from "node:fs";
import { createDecipheriv } from "node:crypto";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { KeywardError } from "@keyward/common";
import { DAMAGED_OR_WRONG_KEY } from "./content-key.js";
import { decodePreamble, MAGIC, TAG_BYTES, type BackupHeader } from "./format.js";

export interface OpenedArchive {
  file: string;
  header: BackupHeader;
  /** The preamble's bytes: the body's AAD. */
  preamble: Buffer;
  size: number;
}

/** Reads and checks a backup's header (not yet authenticated: the tag at the end covers it with the body). */
export function openArchive(file: string): OpenedArchive {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    throw new KeywardError("invalid_argument", `cannot read --in ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { field: "--in" });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, MAGIC.length + 4 + 1024 * 1024 + TAG_BYTES));
    fs.readSync(fd, head, 0, head.length, 0);
    const { header, length } = decodePreamble(head);
    return { file, header, preamble: head.subarray(0, length), size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The body's lines, parsed, decrypted and decompressed as they stream. The generator finishes only
 * once GCM's tag has verified the header and the whole body; any failure (a wrong key, a changed or
 * missing byte) throws DAMAGED_OR_WRONG_KEY, so a caller that loads inside a transaction commits
 * only a verified archive.
 */
export async function* readBody(archive: OpenedArchive, contentKey: Buffer): AsyncGenerator<Record<string, unknown>> {
  const tag = Buffer.alloc(TAG_BYTES);
  const fd = fs.openSync(archive.file, "r");
  try {
    fs.readSync(fd, tag, 0, TAG_BYTES, archive.size - TAG_BYTES);
  } finally {
    fs.closeSync(fd);
  }
  const decipher = createDecipheriv("aes-256-gcm", contentKey, Buffer.from(archive.header.encryption.iv, "base64"));
  decipher.setAAD(archive.preamble);
  decipher.setAuthTag(tag);
  let authenticated = false;
  const ciphertext = fs.createReadStream(archive.file, { start: archive.preamble.length, end: archive.size - TAG_BYTES - 1 });
  async function* plaintext() {
    if (archive.size - TAG_BYTES > archive.preamble.length) for await (const chunk of ciphertext) yield decipher.update(chunk as Buffer);
    else ciphertext.destroy();
    yield decipher.final();
    authenticated = true;
  }
  const gunzip = createGunzip();
  const source = Readable.from(plaintext());
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let rest = "";
  try {
    for await (const chunk of gunzip) {
      const lines = (rest + (chunk as Buffer).toString("utf8")).split("\n");
      rest = lines.pop()!;
      for (const line of lines) yield JSON.parse(line) as Record<string, unknown>;
    }
    if (rest !== "" || !authenticated) throw new Error("incomplete");
  } catch (error) {
    if (error instanceof KeywardError) throw error;
    throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
  } finally {
    source.destroy();
    ciphertext.destroy();
  }
}
