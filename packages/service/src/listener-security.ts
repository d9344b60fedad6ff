import net from "node:net";
import { assertNever, KeywardError, type Logger, type ServiceConfig } from "@keyward/common";

const loopback = new net.BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** 127.0.0.0/8, ::1 (also IPv4-mapped, or in brackets) and the name localhost; any other name may resolve anywhere. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  const family = net.isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/** A listener without TLS, with the settings that would give it TLS. */
export interface PlaintextListener {
  name: "gRPC" | "the admin API";
  settings: readonly [cert: string, key: string];
}

export type ListenerSecurity =
  | { kind: "loopback" }
  | { kind: "tls" }
  /** Non-loopback plaintext that KEYWARD_ALLOW_INSECURE allows (a TLS proxy terminates in front). */
  | { kind: "insecure_allowed"; plaintext: PlaintextListener[] }
  | { kind: "refused"; plaintext: PlaintextListener[] };

type ListenConfig = Pick<ServiceConfig, "host" | "grpcTls" | "httpTls" | "allowInsecure">;

/** How gRPC is served, for start's output and doctor. */
export function grpcTransport(config: Pick<ServiceConfig, "grpcTls">): "plaintext" | "TLS" | "mutual TLS" {
  return !config.grpcTls ? "plaintext" : config.grpcTls.clientCaFile ? "mutual TLS" : "TLS";
}

/** The rule: nothing listens beyond loopback without TLS unless the operator opts out explicitly. */
export function listenerSecurity(config: ListenConfig): ListenerSecurity {
  if (isLoopbackHost(config.host)) return { kind: "loopback" };
  const plaintext: PlaintextListener[] = [];
  if (!config.grpcTls) plaintext.push({ name: "gRPC", settings: ["KEYWARD_GRPC_TLS_CERT_FILE", "KEYWARD_GRPC_TLS_KEY_FILE"] });
  if (!config.httpTls) plaintext.push({ name: "the admin API", settings: ["KEYWARD_HTTP_TLS_CERT_FILE", "KEYWARD_HTTP_TLS_KEY_FILE"] });
  if (plaintext.length === 0) return { kind: "tls" };
  return config.allowInsecure ? { kind: "insecure_allowed", plaintext } : { kind: "refused", plaintext };
}

const names = (plaintext: PlaintextListener[]) => plaintext.map((l) => l.name).join(" and ");

export function insecureListenersError(host: string, plaintext: PlaintextListener[]): KeywardError {
  const set = plaintext.map((l) => `${l.settings[0]} and ${l.settings[1]}`).join(", and ");
  return new KeywardError(
    "config",
    `KEYWARD_HOST=${host} is not a loopback address, and ${names(plaintext)} ${plaintext.length > 1 ? "have" : "has"} no TLS: set ${set} ` +
      `(keyward-service certs makes a development CA and certificates), or KEYWARD_ALLOW_INSECURE=1 when a TLS-terminating proxy is in front`,
    { field: plaintext[0]!.settings[0] },
  );
}

export function insecureListenersWarning(host: string, plaintext: PlaintextListener[]): string {
  return `KEYWARD_ALLOW_INSECURE=1: ${names(plaintext)} ${plaintext.length > 1 ? "listen" : "listens"} on ${host} without TLS; this is safe only behind a TLS-terminating proxy`;
}

/** Refuses an insecure configuration before anything starts; warns (at every start) when the opt-out is in use. */
export function enforceListenerSecurity(config: ListenConfig, logger: Logger): void {
  const security = listenerSecurity(config);
  switch (security.kind) {
    case "refused":
      throw insecureListenersError(config.host, security.plaintext);
    case "insecure_allowed":
      logger.warn({ host: config.host, plaintext: security.plaintext.map((l) => l.name) }, insecureListenersWarning(config.host, security.plaintext));
      return;
    case "loopback":
    case "tls":
      if (config.allowInsecure) logger.warn({ host: config.host }, "KEYWARD_ALLOW_INSECURE=1 is set but not needed (loopback, or TLS on both listeners): unset it");
      return;
    default:
      assertNever(security, "listener security");
  }
}
