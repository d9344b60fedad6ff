// Keys and certificates made at test time (nothing checked in): node:crypto for PEM keys, the
// openssl CLI for an X.509 certificate, ssh-keygen for an OpenSSH key.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function makeKeys() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-secret-types-"));
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const rsaPkcs1 = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }) as string;
  const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const encrypted = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pass-phrase" }) as string;
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "10", "-subj", "/CN=api.example.com/O=Keyward Test", "-keyout", "c.key", "-out", "c.crt"], { cwd: dir, stdio: "pipe" });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", "id_ed25519"], { cwd: dir, stdio: "pipe" });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "pass-phrase", "-C", "test", "-f", "id_locked"], { cwd: dir, stdio: "pipe" });
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  const keys = { rsa, rsaPkcs1, ec, ed, encrypted, cert: read("c.crt"), ssh: read("id_ed25519"), sshLocked: read("id_locked") };
  fs.rmSync(dir, { recursive: true, force: true });
  return keys;
}
