import { isLoopbackHost } from "@keyward/common";
import { parseSmtp, type SmtpLogin } from "@keyward/secret-types";
import nodemailer from "nodemailer";
import { connected, failed, type CredentialTestResult } from "../result.js";
import type { Tester } from "../tester.js";

/**
 * The value as the `smtp` type reads it (secret-types' parseSmtp): `smtp://user:pass@host[:587]` (STARTTLS
 * when offered), `smtps://user:pass@host[:465]` (TLS), user and password percent-encoded; or JSON
 * `{ host, port?, secure?, user, pass }`. A refusal is an `invalid` result naming the rule.
 */
export function parseSmtpValue(value: string): { ok: true; target: SmtpLogin } | { ok: false; result: CredentialTestResult } {
  const parsed = parseSmtp(value);
  return parsed.ok ? { ok: true, target: parsed.value } : { ok: false, result: failed("invalid", `SMTP: ${parsed.problem}`) };
}

/**
 * smtp: connects and logs in (nodemailer's verify: greeting, EHLO, STARTTLS, AUTH), sends nothing. Without
 * implicit TLS, STARTTLS is required unless the host is loopback: a server that does not offer it (or a network
 * that strips it) is reported as such and never gets the password in clear.
 */
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
      requireTLS: !secure && !isLoopbackHost(host.trim().replace(/\.$/, "")),
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
      const { code, responseCode, command } = error as { code?: unknown; responseCode?: unknown; command?: unknown };
      if (code === "EAUTH") return failed("unauthorized", `SMTP server refused the login${typeof responseCode === "number" ? ` (${responseCode})` : ""}`);
      if (code === "ETLS" && command === "STARTTLS" && typeof responseCode === "number") {
        return failed("unexpected", `SMTP server does not offer STARTTLS (${responseCode}): the password was not sent`);
      }
      if (code === "ETLS") return failed("unexpected", "SMTP server: TLS negotiation failed");
      throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      transport.close();
    }
  },
};
