// The SMTP tester against a real SMTP server (smtp-server) that requires a login.
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSmtpValue, testCredential } from "../src/index.js";
import { closedPort, startSilentServer, type Fake } from "./fixtures/servers.js";
import { startSmtpFake, type SmtpFake } from "./fixtures/smtp.js";
import { expectFailure } from "./helpers.js";

const account = { user: "mailer@example.test", pass: "p@ss:w/rd-7Hq2Lx9" };
let smtp: SmtpFake;
let silent: Fake;
beforeAll(async () => {
  [smtp, silent] = await Promise.all([startSmtpFake(account), startSilentServer()]);
});
afterAll(async () => {
  await Promise.all([smtp?.close(), silent?.close()]);
});

const url = (port: number, pass = account.pass) => `smtp://${encodeURIComponent(account.user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`;

describe("smtp", () => {
  it("logs in with an smtp:// URL (user and password percent-encoded)", async () => {
    expect(await testCredential("smtp", url(smtp.port))).toEqual({ status: "connected" });
    expect(smtp.logins.at(-1)).toEqual({ user: account.user, ok: true });
  });

  it("logs in with the JSON shape", async () => {
    const value = JSON.stringify({ host: "127.0.0.1", port: smtp.port, secure: false, ...account });
    expect(await testCredential("smtp", value)).toEqual({ status: "connected" });
  });

  it("maps a wrong password to unauthorized, secret-free (the server's reply quotes it)", async () => {
    const bad = "wrong-Pass-5521xx";
    expectFailure(await testCredential("smtp", url(smtp.port, bad)), "unauthorized", [bad, account.pass], /^SMTP server refused the login \(535\)$/);
    expect(smtp.logins.at(-1)).toEqual({ user: account.user, ok: false });
  });

  it("maps a closed port to unreachable and a silent server to timeout", async () => {
    expectFailure(await testCredential("smtp", url(await closedPort())), "unreachable", [account.pass], /^SMTP server is unreachable/);
    const started = Date.now();
    expectFailure(await testCredential("smtp", url(silent.port), { timeoutMs: 300 }), "timeout", [account.pass], /within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // This machine's own non-loopback address stands for a remote server: the host is not loopback, the server is local.
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === "IPv4")?.address;
  it.skipIf(!address)("reports a non-loopback server that offers no STARTTLS, without sending it the password in clear", async () => {
    const remote = await startSmtpFake(account, address);
    try {
      const value = `smtp://${encodeURIComponent(account.user)}:${encodeURIComponent(account.pass)}@${address}:${remote.port}`;
      expectFailure(await testCredential("smtp", value), "unexpected", [account.pass, value], /^SMTP server does not offer STARTTLS \(\d{3}\): the password was not sent$/);
      const json = JSON.stringify({ host: address, port: remote.port, secure: false, ...account });
      expectFailure(await testCredential("smtp", json), "unexpected", [account.pass], /does not offer STARTTLS/);
      expect(remote.logins).toEqual([]);
    } finally {
      await remote.close();
    }
  });

  it("parses both shapes and refuses what cannot log in, naming the problem only", () => {
    expect(parseSmtpValue("smtps://u:p@mail.example.com")).toEqual({ ok: true, target: { host: "mail.example.com", port: 465, secure: true, user: "u", pass: "p" } });
    expect(parseSmtpValue('{"host":"mail.example.com","user":"u","pass":"p"}')).toEqual({ ok: true, target: { host: "mail.example.com", port: 587, secure: false, user: "u", pass: "p" } });
    const refusals: [string, RegExp][] = [
      ["smtp://mail.example.com:587", /^SMTP: must carry the user and password/],
      ["https://u:p@mail.example.com", /^SMTP: the URL's scheme must be smtp or smtps$/],
      ["just-a-password-9f8e7d", /^SMTP: must be an smtp:\/\/ or smtps:\/\/ URL, or JSON$/],
      ['{"host":"mail.example.com","user":"u"}', /^SMTP: pass is missing$/],
      ['{"host":"h","user":"u","pass":"p","port":70000}', /^SMTP: port must be a whole number/],
      ['{"host":"h","user":"u","pass":"p","secure":"yes"}', /^SMTP: secure must be true or false$/],
      ['{"host": "h", "pass": "hunter2-secret', /^SMTP: must be a JSON object/],
      ["smtp://u:%E0%A4%A@mail.example.com", /^SMTP: the URL's user or password is badly percent-encoded$/],
    ];
    for (const [value, text] of refusals) {
      const parsed = parseSmtpValue(value);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expectFailure(parsed.result, "invalid", [], text);
      if (!parsed.ok) expect(JSON.stringify(parsed.result)).not.toContain("hunter2");
    }
  });
});
