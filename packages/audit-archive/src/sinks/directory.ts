import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { KeywardError } from "@keyward/common";
import { ARCHIVE_NAME_PATTERN } from "../format.js";
import { archiveExistsError, archiveNotFound, checkArchiveName, type ArchiveSink } from "./types.js";

const TEMP_PREFIX = ".tmp-";

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** fsync a directory so a rename or link in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Archives as files in one directory (mode 0700, files 0600). A put writes a temporary file in the
 * same directory, fsyncs it, then links it under its final name, which fails if the name exists:
 * a crash leaves no file or a complete one under the final name, never a torn one, and an existing
 * archive is never overwritten. Leftover `.tmp-*` files of a crash are not archives (`list` skips them).
 */
export function createDirectorySink(options: { dir: string }): ArchiveSink {
  const dir = path.resolve(options.dir);
  const where = `directory ${dir}`;
  let ready: Promise<void> | undefined;
  const ensureDir = () =>
    (ready ??= (async () => {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const stat = await fs.stat(dir);
      if (!stat.isDirectory()) throw new KeywardError("config", `${dir} is not a directory`, { field: "KEYWARD_AUDIT_ARCHIVE_SINK" });
      if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
    })().catch((error) => {
      ready = undefined;
      throw error;
    }));

  return {
    description: where,

    async put(name, body) {
      checkArchiveName(name);
      await ensureDir();
      const final = path.join(dir, name);
      const temp = path.join(dir, `${TEMP_PREFIX}${name}.${randomBytes(6).toString("hex")}`);
      const hash = createHash("sha256");
      try {
        const handle = await fs.open(temp, "wx", 0o600);
        try {
          // Awaiting each write is the backpressure: the body is read as fast as the disk takes it.
          for await (const chunk of body) {
            const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
            hash.update(bytes);
            for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
          }
          await handle.sync();
        } finally {
          await handle.close();
        }
        try {
          // link, not rename: it refuses an existing name instead of replacing it.
          await fs.link(temp, final);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          if ((await sha256OfFile(final)) !== hash.digest("hex")) throw archiveExistsError(name, where);
        }
        await syncDir(dir);
      } finally {
        await fs.rm(temp, { force: true });
      }
    },

    async get(name) {
      checkArchiveName(name);
      const file = path.join(dir, name);
      try {
        const handle = await fs.open(file, "r");
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw archiveNotFound(name, where);
        throw error;
      }
    },

    async list() {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return names.filter((n) => ARCHIVE_NAME_PATTERN.test(n)).sort();
    },

    async exists(name) {
      checkArchiveName(name);
      try {
        return (await fs.stat(path.join(dir, name))).isFile();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
    },
  };
}
