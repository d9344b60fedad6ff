/**
 * Whether a `scheme://user:password@host/…` URL has an `@` after its authority ends (at the first
 * `/`, `?` or `#`): a password holding one of those characters unencoded. The URL parser then takes
 * part of the password for the host, port or path, and that part would be kept as the value's
 * (clear-text) metadata. Such a value is refused, asking for the password to be percent-encoded.
 */
export function hasAmbiguousUserinfo(text: string): boolean {
  const start = text.indexOf("://");
  if (start < 0) return false;
  const rest = text.slice(start + 3);
  const end = rest.search(/[/?#]/);
  return end >= 0 && rest.slice(end).includes("@");
}

export const PERCENT_ENCODE_USERINFO = "has an @ after the host: percent-encode any /, ?, # or @ in the user or password (e.g. %2F, %3F, %23, %40)";
