import { malformed, parsed } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { ShapeResult } from "../types.js";
import { hasAmbiguousUserinfo, PERCENT_ENCODE_USERINFO } from "./url-authority.js";

/** An SMTP login as the validator and the connection test both read it. */
export interface SmtpLogin {
  host: string;
  port: number;
  /** TLS from the start (smtps, 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
}

const defaultPort = (secure: boolean) => (secure ? 465 : 587);

/**
 * `smtp://user:pass@host[:587]` (STARTTLS when offered), `smtps://user:pass@host[:465]` (TLS), user and
 * password percent-encoded; or JSON `{"host", "port"?, "secure"?, "user", "pass"}`.
 */
export function parseSmtp(value: string): ShapeResult<SmtpLogin> {
  const trimmed = value.trim();
  return trimmed.startsWith("{") ? parseJson(trimmed) : parseUrl(trimmed);
}

function parseJson(text: string): ShapeResult<SmtpLogin> {
  const json = jsonObject(text, '{"host", "port", "secure", "user", "pass"}');
  if (!json.ok) return json;
  const o = json.value;
  const host = field(o, "host");
  if (!host) return malformed("host is missing");
  const user = field(o, "user");
  if (!user) return malformed("user is missing");
  const pass = field(o, "pass");
  if (!pass) return malformed("pass is missing");
  if (o.secure !== undefined && typeof o.secure !== "boolean") return malformed("secure must be true or false");
  const secure = o.secure === true;
  // A number, or its digits as a string ("2525"); Number() alone would take true as 1, [25] as 25 and "0x19" as 25.
  const port = o.port === undefined ? defaultPort(secure) : typeof o.port === "number" || (typeof o.port === "string" && /^\d{1,5}$/.test(o.port)) ? Number(o.port) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return malformed("port must be a whole number from 1 to 65535");
  return parsed({ host, port, secure, user, pass });
}

function parseUrl(text: string): ShapeResult<SmtpLogin> {
  if (hasAmbiguousUserinfo(text)) return malformed(`the URL ${PERCENT_ENCODE_USERINFO}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return malformed("must be an smtp:// or smtps:// URL, or JSON");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") return malformed("the URL's scheme must be smtp or smtps");
  if (!url.hostname) return malformed("must name a host");
  if (!url.username || !url.password) return malformed("must carry the user and password to log in with (smtp://user:pass@host)");
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    return malformed("the URL's user or password is badly percent-encoded");
  }
  const secure = url.protocol === "smtps:";
  // An IPv6 host is written [::1] in a URL and connected to as ::1.
  return parsed({ host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : defaultPort(secure), secure, user, pass });
}
