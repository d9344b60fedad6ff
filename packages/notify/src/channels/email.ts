import { isLoopbackHost } from "@keyward/common";
import nodemailer from "nodemailer";
import type { EventMessage } from "./message.js";
import { SendError } from "./send-error.js";

export interface EmailConfig {
  host: string;
  port: number;
  from: string;
  to: string[];
  /** Sign in as this user (the password is a credential). */
  user?: string;
  /** Implicit TLS (port 465). Otherwise STARTTLS is used whenever the server offers it. */
  secure?: boolean;
  /**
   * Refuse to send without STARTTLS. Default: true when `user` is set and the host is not loopback, so that a
   * server that does not offer STARTTLS (or a network that strips it) never gets the password in clear; set
   * false to allow that (a relay without TLS on a trusted network). Otherwise false.
   */
  requireTls?: boolean;
  /** A PEM CA to trust for the server's certificate (a private CA). */
  tlsCa?: string;
}

/** Whether to refuse a session without STARTTLS: as configured, else whenever a password would leave this machine. */
export const requiresTls = (config: Pick<EmailConfig, "host" | "user" | "requireTls">): boolean =>
  config.requireTls ?? (Boolean(config.user) && !isLoopbackHost(config.host.trim().replace(/\.$/, "")));

const html = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * Sends the message as text and HTML over SMTP: nodemailer upgrades with STARTTLS when offered, and with a user
 * on a host that is not loopback it refuses a server that does not offer it (unless `requireTls: false`).
 */
export async function sendEmail(config: EmailConfig, credentials: { password?: string }, message: EventMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    requireTLS: requiresTls(config),
    ...(config.tlsCa ? { tls: { ca: config.tlsCa } } : {}),
    ...(config.user ? { auth: { user: config.user, pass: credentials.password ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
    debug: false,
  });
  const lines = [message.title, "", `Subject: ${message.subject}`, ...(message.environment ? [`Environment: ${message.environment}`] : []), "", `Open in Keyward: ${message.url}`, "", `${message.type} · ${message.id}`];
  try {
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: `[Keyward] ${message.title}`,
      messageId: `<${message.id}@keyward>`,
      headers: { "Keyward-Event-Id": message.id },
      text: lines.join("\n"),
      html: `<p><strong>${html(message.title)}</strong></p><p>Subject: ${html(message.subject)}${message.environment ? `<br>Environment: ${html(message.environment)}` : ""}</p><p><a href="${html(message.url)}">Open in Keyward</a></p><p style="color:#666">${html(message.type)} · ${html(message.id)}</p>`,
    });
  } catch (e) {
    const err = e as { code?: string; responseCode?: number };
    // Only the error's code and SMTP status: nodemailer's messages can echo server text.
    throw new SendError(`smtp failed: ${err.code ?? "error"}${err.responseCode ? ` ${err.responseCode}` : ""}`, err.responseCode);
  } finally {
    transport.close();
  }
}
