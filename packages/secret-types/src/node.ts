import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { ownPemInspector, pemBlock, PRIVATE_KEY_LABELS } from "./pem.js";
import { createSecretTypeRegistry, type SecretTypeRegistry, type SecretTypeRegistryOptions } from "./registry.js";
import { accept, refuse } from "./result.js";
import type { PemInspector, SecretMetadata } from "./types.js";

export * from "./index.js";

/** A key's algorithm and size: rsa 2048, ec prime256v1, ed25519. */
function keyFacts(key: KeyObject): SecretMetadata {
  const d = key.asymmetricKeyDetails ?? {};
  return {
    keyAlgorithm: key.asymmetricKeyType ?? "unknown",
    ...(d.modulusLength ? { keySize: d.modulusLength } : {}),
    ...(d.namedCurve ? { keyCurve: d.namedCurve } : {}),
  };
}

/** One line for a distinguished name that X509Certificate gives one attribute per line. */
const dn = (s: string) => s.split("\n").filter(Boolean).join(", ");

/** Parses certificates with X509Certificate and keys with createPrivateKey; node:crypto's messages are not passed on. */
export const nodePemInspector: PemInspector = ownPemInspector({
  certificate(pem) {
    const block = pemBlock(pem);
    if (!block || block.label !== "CERTIFICATE") return refuse("must be one PEM block -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----");
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem.trim());
    } catch {
      return refuse("is not a parseable X.509 certificate");
    }
    return accept({
      subject: dn(cert.subject),
      issuer: dn(cert.issuer),
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      ...keyFacts(cert.publicKey),
    });
  },
  privateKey(pem) {
    const block = pemBlock(pem);
    if (!block || !PRIVATE_KEY_LABELS.includes(block.label)) return refuse("must be one PEM block -----BEGIN PRIVATE KEY----- (or RSA/EC/ENCRYPTED PRIVATE KEY)");
    // An encrypted key cannot be read without its passphrase, which Keyward does not have.
    if (block.label === "ENCRYPTED PRIVATE KEY") return accept({ encrypted: true });
    try {
      return accept(keyFacts(createPrivateKey(pem.trim())));
    } catch {
      return refuse("is not a parseable private key");
    }
  },
});

/** The registry for the server: PEM certificates and keys parsed with node:crypto. */
export function createNodeSecretTypeRegistry(options: Omit<SecretTypeRegistryOptions, "pem"> = {}): SecretTypeRegistry {
  return createSecretTypeRegistry({ ...options, pem: nodePemInspector });
}
