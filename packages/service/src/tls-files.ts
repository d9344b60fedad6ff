import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import fs from "node:fs";
import { KeywardError } from "@keyward/common";

const CERTS_HINT = "keyward-service certs makes a development CA and certificates";

function readFile(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KeywardError("config", `${variable} points at ${file}, which cannot be read (${code}): check the path and that the service may read it (${CERTS_HINT})`, { field: variable });
  }
}

/** A PEM certificate (chain or CA bundle) file, checked to parse; errors name the variable, never the content. */
export function readCertificateFile(file: string, variable: string): { pem: Buffer; certificate: X509Certificate } {
  const pem = readFile(file, variable);
  try {
    return { pem, certificate: new X509Certificate(pem) };
  } catch {
    throw new KeywardError("config", `${variable} points at ${file}, which is not a PEM certificate (-----BEGIN CERTIFICATE-----)`, { field: variable });
  }
}

/** A PEM private key file (unencrypted), checked to parse; the error never includes the file's content. */
export function readPrivateKeyFile(file: string, variable: string): { pem: Buffer; key: KeyObject } {
  const pem = readFile(file, variable);
  try {
    return { pem, key: createPrivateKey(pem) };
  } catch {
    throw new KeywardError("config", `${variable} points at ${file}, which is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)`, { field: variable });
  }
}

/** A certificate and its private key, read, parsed and checked to belong together. */
export function readKeyPair(files: { certFile: string; keyFile: string }, variables: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  const cert = readCertificateFile(files.certFile, variables.cert);
  const key = readPrivateKeyFile(files.keyFile, variables.key);
  if (!cert.certificate.checkPrivateKey(key.key)) {
    throw new KeywardError("config", `${variables.key} (${files.keyFile}) is not the private key of the certificate in ${variables.cert} (${files.certFile}): give the key the certificate was issued for`, {
      field: variables.key,
    });
  }
  return { cert: cert.pem, key: key.pem };
}
