// Issues development certificates: a CA, server and client certificates, ECDSA P-256 with SHA-256.
// Node's crypto cannot create X.509 certificates, so @peculiar/x509 builds them over webcrypto.
// It resolves its services through tsyringe, which needs the reflect-metadata polyfill loaded first;
// this module is imported only by the certs command, so nothing else loads the polyfill.
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeX509Certificate } from "node:crypto";
import net from "node:net";
import * as x509 from "@peculiar/x509";
import { KeywardError } from "@keyward/common";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Issued a little in the past, so a peer whose clock is slightly behind accepts them. */
const BACKDATE_MS = 5 * 60 * 1000;
export const CA_DAYS = 3650;

export interface IssuedPem {
  cert: string;
  key: string;
}

/** What a certificate says, for the command's report. */
export interface CertificateFacts {
  subject: string;
  names: string[];
  notAfter: Date;
}

export interface SigningCa {
  certificate: x509.X509Certificate;
  key: CryptoKey;
  notAfter: Date;
}

/** A positive 128-bit serial number, in hex. */
const serialNumber = () => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString("hex");
};

async function exportPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

const generateKeys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;

export function certificateFacts(pem: string): CertificateFacts {
  const cert = new NodeX509Certificate(pem);
  return { subject: cert.subject.replace(/\n/g, ", "), names: cert.subjectAltName?.split(", ") ?? [], notAfter: new Date(cert.validTo) };
}

export async function createCa(now: Date): Promise<IssuedPem & { ca: SigningCa }> {
  const keys = await generateKeys();
  const notAfter = new Date(now.getTime() + CA_DAYS * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=Keyward development CA ${randomBytes(3).toString("hex")}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString("pem"), key: await exportPem(keys), ca: { certificate, key: keys.privateKey, notAfter } };
}

/** An existing CA of this command, to sign more certificates with; refuses anything it could not have made. */
export async function loadCa(certPem: string, keyPem: string, files: { cert: string; key: string }): Promise<SigningCa> {
  let nodeCert: NodeX509Certificate;
  try {
    nodeCert = new NodeX509Certificate(certPem);
  } catch {
    throw new KeywardError("config", `${files.cert} is not a PEM certificate: remove ${files.cert} and ${files.key} to make a new CA`, { field: "--out" });
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new KeywardError("config", `${files.key} is not an unencrypted PEM private key: remove ${files.cert} and ${files.key} to make a new CA`, { field: "--out" });
  }
  if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1" || !nodeCert.ca || !nodeCert.checkPrivateKey(privateKey)) {
    throw new KeywardError("config", `${files.cert} and ${files.key} are not a CA made by keyward-service certs (an ECDSA P-256 CA and its key): remove them to make a new CA, or use another --out`, { field: "--out" });
  }
  const der = privateKey.export({ type: "pkcs8", format: "der" });
  const key = (await webcrypto.subtle.importKey("pkcs8", der, ALGORITHM, false, ["sign"])) as CryptoKey;
  return { certificate: new x509.X509Certificate(certPem), key, notAfter: new Date(nodeCert.validTo) };
}

function generalName(host: string): x509.JsonGeneralName {
  return net.isIP(host) ? { type: "ip", value: host } : { type: "dns", value: host };
}

async function issueLeaf(ca: SigningCa, options: { subject: string; names: x509.JsonGeneralName[]; usage: x509.ExtendedKeyUsage; days: number; now: Date }): Promise<IssuedPem> {
  const keys = await generateKeys();
  // Never past the CA: a chain is only as valid as its shortest-lived link.
  const notAfter = new Date(Math.min(options.now.getTime() + options.days * DAY_MS, ca.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: options.subject,
    issuer: ca.certificate.subject,
    notBefore: new Date(options.now.getTime() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([options.usage]),
      new x509.SubjectAlternativeNameExtension(options.names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
    ],
  });
  return { cert: certificate.toString("pem"), key: await exportPem(keys) };
}

/** The default names every server certificate carries: the service answers on loopback too. */
export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"] as const;

export function issueServerCert(ca: SigningCa, options: { hosts: string[]; days: number; now: Date }): Promise<IssuedPem> {
  const hosts = [...new Set([...LOOPBACK_NAMES, ...options.hosts])];
  return issueLeaf(ca, { subject: `CN=${options.hosts[0] ?? "localhost"}`, names: hosts.map(generalName), usage: x509.ExtendedKeyUsage.serverAuth, days: options.days, now: options.now });
}

/** The identity a client certificate carries: a SPIFFE-style URI and the name as DNS, for a later strict mode to bind. */
export const clientIdentityUri = (name: string) => `spiffe://keyward/service/${name}`;

export function issueClientCert(ca: SigningCa, options: { name: string; days: number; now: Date }): Promise<IssuedPem> {
  return issueLeaf(ca, {
    subject: `CN=${options.name}`,
    names: [
      { type: "url", value: clientIdentityUri(options.name) },
      { type: "dns", value: options.name },
    ],
    usage: x509.ExtendedKeyUsage.clientAuth,
    days: options.days,
    now: options.now,
  });
}
