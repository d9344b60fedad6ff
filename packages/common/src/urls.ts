import net from "node:net";

/** localhost, 127.0.0.0/8 and ::1: names and addresses that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  if (net.isIPv6(host)) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Why a URL that Keyward fetches keys or provider metadata from is unsafe, or undefined when it is
 * fine: it must be https, except on loopback (a provider on this machine, as in tests).
 */
export function insecureUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL";
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol === "http:") return "must use https (plain http is allowed only on loopback: localhost, 127.0.0.1, [::1])";
  return "must be an https URL";
}
