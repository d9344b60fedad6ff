/**
 * localhost, 127.0.0.0/8 and ::1: hosts that never leave the machine, the only ones plain http is
 * allowed to, and the only ones the client reaches without TLS unless told to (as for the service's
 * own URLs; kept here so apps need not load @keyward/common).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.startsWith("127.");
  return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(host);
}
