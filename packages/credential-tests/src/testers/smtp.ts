import nodemailer from "nodemailer";
import { jsonObject, stringFields } from "../json-value.js";
import { connected, failed, type CredentialTestResult } from "../result.js";
import type { Tester } from "../tester.js";

interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
}

/**
 * The two accepted shapes: `smtp://user:pass@host[:587]` (STARTTLS when offered) or `smtps://user:pass@host[:465]`
 * (TLS from the start), user and password percent-encoded; or JSON `{ host, port?, secure?, user, pass }`.
 */
export function parseSmtpValue(value: string): { ok: true; target: SmtpTarget } | { ok: false; result: CredentialTestResult } {
  const trimmed = value.trim();
  if (trimmed.startsWith("{")) {
    const object = jsonObject(trimmed, "SMTP");
    if (!object.ok) return object;
    const raw = object.value;
    const parsed = stringFields(raw, "SMTP", ["host", "user", "pass"] as const);
    if (!parsed.ok) return parsed;
    if (raw.secure !== undefined && typeof raw.secure !== "boolean") return { ok: false, result: failed("invalid", "SMTP: secure must be true or false") };
    const secure = raw.secure === true;
    const port = raw.port === undefined ? (secure ? 465 : 587) : Number(raw.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) return { ok: false, result: failed("invalid", "SMTP: port must be 1-65535") };
    return { ok: true, target: { ...parsed.value, port, secure } };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, result: failed("invalid", "SMTP: the value is neither an smtp:// or smtps:// URL nor JSON") };
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") return { ok: false, result: failed("invalid", "SMTP: the URL's scheme must be smtp or smtps") };
  if (!url.hostname) return { ok: false, result: failed("invalid", "SMTP: the URL has no host") };
  if (!url.username || !url.password) return { ok: false, result: failed("invalid", "SMTP: the URL has no user and password to log in with") };
  const secure = url.protocol === "smtps:";
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    return { ok: false, result: failed("invalid", "SMTP: the URL's user or password is badly percent-encoded") };
  }
  return { ok: true, target: { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : secure ? 465 : 587, secure, user, pass } };
}

/** smtp: connects and logs in (nodemailer's verify: greeting, EHLO, STARTTLS when offered, AUTH), sends nothing. */
export const smtpTester: Tester = {
  label: "SMTP server",
  async run(value, { signal, timeoutMs }) {
    const parsed = parseSmtpValue(value);
    if (!parsed.ok) return parsed.result;
    const { host, port, secure, user, pass } = parsed.target;
    const transport = nodemailer.createTransport({
      host,
      port,
      secure,
      auth: { user, pass },
      connectionTimeout: timeoutMs + 1_000,
      greetingTimeout: timeoutMs + 1_000,
      socketTimeout: timeoutMs + 1_000,
      logger: false,
      debug: false,
    });
    // nodemailer takes no signal: closing the transport ends a verify that testCredential gave up on.
    const stop = () => transport.close();
    signal.addEventListener("abort", stop, { once: true });
    try {
      await transport.verify();
      return connected();
    } catch (error) {
      const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
      if (code === "EAUTH") return failed("unauthorized", `SMTP server refused the login${typeof responseCode === "number" ? ` (${responseCode})` : ""}`);
      if (code === "ETLS") return failed("unexpected", "SMTP server: TLS negotiation failed");
      throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      transport.close();
    }
  },
};
