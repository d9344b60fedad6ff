import type { PeerCertificate } from "node:tls";
import { certifiedServiceNames, dnsNamesOfSans } from "@keyward/common";
import type { RegistrationIdentity } from "@keyward/db";
import { safeLabel } from "./labels.js";

/** The parts of a server call that say who is calling. */
export type IdentifiedCall = { getPeer(): string; getAuthContext(): { sslPeerCertificate?: PeerCertificate } };

/** The peer's address without its port, e.g. "127.0.0.1:5000" → "127.0.0.1", "[::1]:5000" → "[::1]". */
export const peerAddress = (peer: string) => peer.replace(/:\d+$/, "");

export interface ClientCertificate {
  subject: string;
  /** As TLS reports them, e.g. "DNS:billing, URI:spiffe://keyward/service/billing". */
  sans: string;
  dnsNames: string[];
  spiffeId: string | undefined;
  fingerprint: string;
}

const subjectText = (subject: PeerCertificate["subject"] | undefined) =>
  subject
    ? Object.entries(subject)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : String(v)}`)
        .join(", ")
    : "";

/** The verified client certificate of a mutual-TLS call (grpc-js hands it only after the CA check), or undefined. */
export function clientCertificate(call: IdentifiedCall): ClientCertificate | undefined {
  const cert = call.getAuthContext().sslPeerCertificate;
  if (!cert || !cert.fingerprint256) return undefined;
  const sans = cert.subjectaltname ?? "";
  const entries = sans.split(/,\s*/).filter(Boolean);
  const dnsNames = dnsNamesOfSans(sans);
  const spiffeId = entries.find((e) => e.startsWith("URI:spiffe://"))?.slice(4);
  return { subject: safeLabel(subjectText(cert.subject), 512), sans: safeLabel(sans, 1024), dnsNames, spiffeId, fingerprint: cert.fingerprint256 };
}

/** Who registers a token: stored with it for the admin who approves it. */
export function registrationIdentity(call: IdentifiedCall): RegistrationIdentity {
  const cert = clientCertificate(call);
  return {
    peerAddress: safeLabel(peerAddress(call.getPeer()), 256),
    ...(cert ? { certificate: { subject: cert.subject, sans: cert.sans, spiffeId: cert.spiffeId, fingerprint: cert.fingerprint } } : {}),
  };
}

/** The service names a certificate vouches for (see certifiedServiceNames in @keyward/common). */
export const certifiedNames = (cert: ClientCertificate): string[] => certifiedServiceNames(cert.dnsNames, cert.spiffeId);

/**
 * Under strict identity, why this call may not act as `serviceName`, or undefined when it may: the
 * client certificate must name the service (a DNS SAN, or the SPIFFE ID's path or its last segment).
 */
export function identityProblem(call: IdentifiedCall, serviceName: string): string | undefined {
  const cert = clientCertificate(call);
  if (!cert) return `strict identity: the call has no client certificate, so it cannot act as service ${serviceName}`;
  if (certifiedNames(cert).includes(serviceName)) return undefined;
  return `strict identity: the client certificate (${cert.sans || cert.subject || "no names"}) does not name service ${serviceName}`;
}
