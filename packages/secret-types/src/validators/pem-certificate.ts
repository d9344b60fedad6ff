import type { PemInspector, SecretTypeDefinition } from "../types.js";

export const pemCertificate = (pem: PemInspector): SecretTypeDefinition => ({
  name: "pem-certificate",
  describe: "An X.509 certificate in PEM (-----BEGIN CERTIFICATE-----)",
  validate: (value) => pem.certificate(value),
});
