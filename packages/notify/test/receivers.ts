import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { verifyWebhookSignature } from "../src/index.js";

/** A webhook receiver that verifies `Keyward-Signature` (answering 401 otherwise) and fails its first `failFirst` deliveries with 500. */
export async function startWebhookReceiver(secret: string, options: { failFirst?: number; alwaysFail?: boolean } = {}) {
  const received: { body: Record<string, unknown>; raw: string; key: string; verdict: string }[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      calls++;
      const verdict = verifyWebhookSignature(secret, req.headers["keyward-signature"] as string | undefined, raw);
      if (verdict !== "ok") return void res.writeHead(401).end(verdict);
      if (options.alwaysFail || calls <= (options.failFirst ?? 0)) return void res.writeHead(500).end();
      received.push({ body: JSON.parse(raw), raw, key: req.headers["idempotency-key"] as string, verdict });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keyward`, received, calls: () => calls, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A Slack-shaped incoming webhook: answers 400 "invalid_blocks" unless the body is a Block Kit message with a button. */
export async function startSlackReceiver(pathToken: string) {
  const received: { text: string; blocks: { type: string; [k: string]: unknown }[] }[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      if (req.url !== `/services/${pathToken}`) return void res.writeHead(404).end("no_service");
      const body = JSON.parse(raw) as (typeof received)[number];
      const ok = typeof body.text === "string" && Array.isArray(body.blocks) && body.blocks.length <= 50 && body.blocks.every((b) => ["header", "section", "actions", "context", "divider"].includes(b.type));
      if (!ok) return void res.writeHead(400).end("invalid_blocks");
      received.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/${pathToken}`, received, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A real SMTP server offering STARTTLS (a self-signed certificate made here) and requiring a password; parses each message. */
export async function startSmtpReceiver(user: string, password: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-smtp-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem"], { cwd: dir, stdio: "pipe" });
  const cert = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
  const mails: { parsed: ParsedMail; secure: boolean; user: string | undefined }[] = [];
  const server = new SMTPServer({
    key: fs.readFileSync(path.join(dir, "key.pem")),
    cert,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, session, cb) {
      if (!session.secure) return cb(new Error("authenticate after STARTTLS"));
      if (auth.username === user && auth.password === password) return cb(null, { user });
      cb(new Error("invalid credentials"));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({ parsed, secure: session.secure, user: session.user as string | undefined });
          cb();
        },
        (e: Error) => cb(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.server.address() as AddressInfo).port, ca: cert, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}
