// A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI at
// test time (nothing checked in).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestCerts {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** A CA that did not sign the server's certificate. */
  strangerCa: Buffer;
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-http-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  for (const ca of ["ca", "stranger-ca"]) ssl("req", "-x509", ...ec, "-days", "1", "-subj", `/CN=${ca}`, "-keyout", `${ca}.key`, "-out", `${ca}.crt`);
  ssl("req", ...ec, "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
  fs.writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server.crt");
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  return { ca: read("ca.crt"), cert: read("server.crt"), key: read("server.key"), strangerCa: read("stranger-ca.crt") };
}
