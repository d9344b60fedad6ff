import { accept, refuse } from "../result.js";
import type { PemInspector, SecretTypeDefinition } from "../types.js";

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash (HS256: 32 bytes).
const MIN_HMAC_BYTES = 32;

export const jwtSigningKey = (pem: PemInspector): SecretTypeDefinition => ({
  name: "jwt-signing-key",
  describe: `A JWT signing key: an HMAC secret of at least ${MIN_HMAC_BYTES} bytes, or a PEM private key (RS/ES/EdDSA)`,
  validate(value) {
    if (value.trimStart().startsWith("-----BEGIN")) return pem.privateKey(value);
    const bytes = new TextEncoder().encode(value).length;
    if (bytes < MIN_HMAC_BYTES) return refuse(`an HMAC secret must be at least ${MIN_HMAC_BYTES} bytes (or give a PEM private key)`);
    return accept({ keyAlgorithm: "hmac", keySize: bytes * 8 });
  },
});
