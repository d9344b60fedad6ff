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
  /** Refuse to send without STARTTLS. */
  requireTls?: boolean;
  /** A PEM CA to trust for the server's certificate (a private CA). */
  tlsCa?: string;
}

const html = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Sends the message as text and HTML over SMTP (nodemailer upgrades with STARTTLS when offered, unless told otherwise). */
export async function sendEmail(config: EmailConfig, credentials: { password?: string }, message: EventMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    requireTLS: config.requireTls ?? false,
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
