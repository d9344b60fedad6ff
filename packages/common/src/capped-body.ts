/** A response body past the caller's limit: the rest is not read. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
  }
}

/**
 * A response's body as text, read up to `maxBytes`: a server (or a proxy) that sends more, or
 * announces more in content-length, gets its stream cancelled, so a huge or endless answer costs
 * neither memory nor the event loop. For small JSON documents: key services, discovery, Vault.
 */
export async function readCappedText(res: Response, maxBytes: number): Promise<string> {
  // A declared length past the limit, or one that is not a number, is not read at all.
  const declared = res.headers.get("content-length")?.trim();
  if (declared !== undefined && !(/^\d+$/.test(declared) && Number(declared) <= maxBytes)) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString("utf8");
}
