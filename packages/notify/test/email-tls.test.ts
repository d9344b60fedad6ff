// The email channel never sends its SMTP password in clear to a server that is not on this machine: against a
// real smtp-server that hides STARTTLS (as a downgrading network would), listening on this machine's own
// non-loopback address, so that the host is not loopback while the server stays local.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requiresTls, sendEmail, type EventMessage } from "../src/index.js";

const address = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === "IPv4")?.address;
const password = "smtp-pw-" + randomBytes(12).toString("hex");
const message: EventMessage = { id: "evt_tls1", type: "secret.stub_created", environment: "production", subject: "S", title: "T", url: "https://keyward.example.test/admin/", createdAt: new Date().toISOString(), data: {}, count: 1 };

interface PlainServer {
  port: number;
  auths: { user: string; password: string; secure: boolean }[];
  mails: number;
  close(): Promise<void>;
}

/** An SMTP server that offers no STARTTLS and takes AUTH PLAIN/LOGIN on the plain session, recording what it got. */
async function startPlainSmtp(host: string): Promise<PlainServer> {
  const state: PlainServer = { port: 0, auths: [], mails: 0, close: async () => undefined };
  const server = new SMTPServer({
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    authOptional: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, session, cb) {
      state.auths.push({ user: auth.username ?? "", password: auth.password ?? "", secure: session.secure });
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on("end", () => ((state.mails += 1), cb()));
    },
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}

describe("email channel TLS", () => {
  let remote: PlainServer | undefined;
  let local: PlainServer;
  beforeAll(async () => {
    local = await startPlainSmtp("127.0.0.1");
    if (address) remote = await startPlainSmtp(address);
  });
  afterAll(async () => {
    await Promise.all([remote?.close(), local?.close()]);
  });
  beforeEach(() => {
    for (const s of [remote, local]) if (s) ((s.auths.length = 0), (s.mails = 0));
  });

  it.skipIf(!address)("refuses, by default, to sign in to a non-loopback server that offers no STARTTLS: no password in clear, none in the error", async () => {
    const config = { host: address!, port: remote!.port, from: "keyward@example.test", to: ["ops@example.test"], user: "keyward" };
    const error = await sendEmail(config, { password }, message).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/^smtp failed: /);
    expect(`${error!.message} ${error!.stack} ${JSON.stringify(error)}`).not.toContain(password);
    expect(remote!.auths).toEqual([]);
    expect(remote!.mails).toBe(0);
  });

  it.skipIf(!address)("sends over a plain session when the channel opts out with requireTls: false", async () => {
    const config = { host: address!, port: remote!.port, from: "keyward@example.test", to: ["ops@example.test"], user: "keyward", requireTls: false };
    await sendEmail(config, { password }, message);
    expect(remote!.auths).toEqual([{ user: "keyward", password, secure: false }]);
    expect(remote!.mails).toBe(1);
  });

  it.skipIf(!address)("sends without a user (no credential to protect) to a server without STARTTLS", async () => {
    await sendEmail({ host: address!, port: remote!.port, from: "keyward@example.test", to: ["ops@example.test"] }, {}, message);
    expect(remote!.mails).toBe(1);
    expect(remote!.auths).toEqual([]);
  });

  it("keeps a loopback relay without TLS working (the password does not leave this machine)", async () => {
    await sendEmail({ host: "127.0.0.1", port: local.port, from: "keyward@example.test", to: ["ops@example.test"], user: "keyward" }, { password }, message);
    expect(local.mails).toBe(1);
  });

  it("decides loopback from the host only", () => {
    for (const h of ["localhost", "LOCALHOST.", "mail.localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(requiresTls({ host: h, user: "u" }), h).toBe(false);
    for (const h of ["smtp.example.com", "localhost.example.com", "10.0.0.1", "128.0.0.1", "::2", "0.0.0.0", "127.0.0.1.nip.io"]) expect(requiresTls({ host: h, user: "u" }), h).toBe(true);
    expect(requiresTls({ host: "smtp.example.com", user: "u" })).toBe(true);
    expect(requiresTls({ host: "smtp.example.com" })).toBe(false);
    expect(requiresTls({ host: "smtp.example.com", user: "u", requireTls: false })).toBe(false);
    expect(requiresTls({ host: "127.0.0.1", user: "u" })).toBe(false);
    expect(requiresTls({ host: "127.0.0.1", user: "u", requireTls: true })).toBe(true);
  });
});
