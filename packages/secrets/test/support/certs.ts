// Throwaway certificates made with the openssl CLI at test time (nothing checked in): a CA, a
// server certificate for 127.0.0.1/localhost, a client certificate from the same CA, and a
// "stranger" CA with its own client certificate, which mutual TLS must refuse.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestCerts {
  dir: string;
  /** Absolute path of a file in `dir`, e.g. file("ca.crt"). */
  file(name: string): string;
  read(name: string): Buffer;
}

/** Files: ca.crt, server.crt/.key, client.crt/.key, stranger-ca.crt, stranger.crt/.key. */
export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-secrets-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const newCa = (name: string) => ssl("req", "-x509", ...ec, "-days", "1", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.crt`);
  const leaf = (name: string, ca: string, ext: string) => {
    ssl("req", ...ec, "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    ssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "1", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
  };
  newCa("ca");
  newCa("stranger-ca");
  leaf("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  leaf("client", "ca", "subjectAltName=URI:spiffe://keyward/service/billing,DNS:billing\nextendedKeyUsage=clientAuth\n");
  leaf("stranger", "stranger-ca", "extendedKeyUsage=clientAuth\n");
  const file = (name: string) => path.join(dir, name);
  return { dir, file, read: (name) => fs.readFileSync(file(name)) };
}
