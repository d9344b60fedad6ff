/**
 * Client-supplied text made safe to store and log as a label: control characters (PostgreSQL
 * text refuses NUL) and lone surrogates are escaped, and the length is capped.
 */
export function safeLabel(text: string, max = 128): string {
  const escaped = text.slice(0, max).replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped;
}
