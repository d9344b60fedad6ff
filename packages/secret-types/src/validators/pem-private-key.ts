import type { PemInspector, SecretTypeDefinition } from "../types.js";

export const pemPrivateKey = (pem: PemInspector): SecretTypeDefinition => ({
  name: "pem-private-key",
  describe: "A private key in PEM (-----BEGIN PRIVATE KEY-----, RSA, EC or ENCRYPTED)",
  validate: (value) => pem.privateKey(value),
});
