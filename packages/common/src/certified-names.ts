/** The DNS names of a certificate's subjectAltName as TLS reports it ("DNS:billing, URI:spiffe://…"). */
export const dnsNamesOfSans = (sans: string): string[] =>
  sans
    .split(/,\s*/)
    .filter((e) => e.startsWith("DNS:"))
    .map((e) => e.slice(4));

/**
 * The service names a client certificate vouches for: its DNS SANs, and its SPIFFE ID's path
 * (without the leading slash) and that path's last segment, so spiffe://example.org/ns/prod/sa/billing
 * names "ns/prod/sa/billing" and "billing". The gRPC server's strict identity and the approval
 * rules' guard (a rule never approves a token whose certificate names another service) share it.
 */
export function certifiedServiceNames(dnsNames: readonly string[], spiffeId: string | null | undefined): string[] {
  const names = [...dnsNames];
  if (spiffeId) {
    const path = spiffeId.replace(/^spiffe:\/\/[^/]*/, "").replace(/^\/+/, "");
    if (path) names.push(path, path.split("/").pop()!);
  }
  return names;
}
