import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * Streams a response body to `out` (a file) or to `stdout`, counting its lines. A file is written
 * to a temporary name beside it and renamed when complete, so a failed export never leaves a
 * truncated file under the name asked for.
 */
export async function streamTo(body: ReadableStream<Uint8Array>, out: string | undefined, stdout: NodeJS.WritableStream): Promise<number> {
  let lines = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 10) lines++;
      done(null, chunk);
    },
  });
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  if (out === undefined) {
    await pipeline(source, counter, stdout, { end: false });
    return lines;
  }
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
  try {
    await pipeline(source, counter, fs.createWriteStream(tmp, { mode: 0o600 }));
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  return lines;
}
