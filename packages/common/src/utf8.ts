// Text that arrives as bytes (an HTTP body, stdin, a file) or as JSON string escapes must be valid
// Unicode to be stored as it was sent: PostgreSQL stores text as UTF-8, and Node's lenient decoding
// (and the encoder, for an unpaired surrogate) turns what it cannot represent into U+FFFD, so a
// value would be kept altered while the caller was told it was stored.

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes as text, or undefined when they are not valid UTF-8 (never a replacement character). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT.decode(bytes);
  } catch {
    return undefined;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is valid Unicode (no unpaired surrogate, as a JSON `\ud800` escape can make). */
export const isWellFormedText = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * The path (`secrets/0/name`, `value`; "" for the root) of the first string in a parsed JSON value
 * (keys included) that is not well-formed Unicode, or undefined when every one is.
 */
export function illFormedTextPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return isWellFormedText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], path === "" ? String(i) : `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = path === "" ? key : `${path}/${key}`;
      if (!isWellFormedText(key)) return at;
      const found = illFormedTextPath(item, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
