/**
 * Splits a byte stream into lines ("\n", kept out of the line) without holding more than one line:
 * a line longer than `maxLineBytes` ends the iteration with a LineTooLong instead of growing a buffer.
 */
export class LineTooLong extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is too long`);
  }
}

export interface Lines {
  /** Complete lines, in order. */
  lines: AsyncGenerator<Buffer>;
  /** After `lines` ends: the bytes after the last newline (a torn last line), empty when the stream ended with "\n". */
  rest(): Buffer;
}

export function splitLines(source: AsyncIterable<Buffer>, maxLineBytes: number): Lines {
  let rest: Buffer[] = [];
  let restBytes = 0;
  let lineNo = 0;
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        lineNo++;
        const piece = chunk.subarray(start, nl);
        if (restBytes + piece.length > maxLineBytes) throw new LineTooLong(lineNo);
        const line = restBytes === 0 ? piece : Buffer.concat([...rest, piece]);
        rest = [];
        restBytes = 0;
        start = nl + 1;
        yield line;
      }
      if (start < chunk.length) {
        const piece = chunk.subarray(start);
        if (restBytes + piece.length > maxLineBytes) throw new LineTooLong(lineNo + 1);
        // Copy: the chunk's memory may be reused by the stream.
        rest.push(Buffer.from(piece));
        restBytes += piece.length;
      }
    }
  }
  return { lines: lines(), rest: () => Buffer.concat(rest) };
}
