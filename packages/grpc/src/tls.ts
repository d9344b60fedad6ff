import { ServerCredentials } from "@grpc/grpc-js";
import type { GrpcTlsOptions } from "./options.js";

/** Insecure without `tls` (loopback, or behind a TLS-terminating proxy); TLS or mTLS otherwise. */
export function serverCredentials(tls: GrpcTlsOptions | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const requireClientCert = tls.requireClientCert ?? tls.clientCa !== undefined;
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], requireClientCert);
}
