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
 * (keys included) that is not well-formed Unicode, or undefined when every one is. Iterative: a
 * body may nest as deep as JSON.parse allows, far past the call stack.
 */
export function illFormedTextPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  const at = (path: string, key: string) => (path === "" ? key : `${path}/${key}`);
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === "string") {
      if (!isWellFormedText(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], at(path, String(i))]);
    } else if (typeof item === "object" && item !== null) {
      const entries = Object.entries(item);
      for (const [key] of entries) if (!isWellFormedText(key)) return at(path, key);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], at(path, entries[i]![0])]);
    }
  }
  return undefined;
}
