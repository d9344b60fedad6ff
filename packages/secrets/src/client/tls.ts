import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import { SecretsConfigError } from "./config-error.js";
import type { Pem, SecretsClientOptions } from "./options.js";

/** TLS for the channel, read and checked: PEM buffers for grpc-js. */
export interface ResolvedTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  serverName?: string;
}

const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Where one PEM comes from: content or a file, and the setting that named it. */
type PemSource = { setting: string; content: Pem } | { setting: string; file: string };

function readPem(source: PemSource): Buffer {
  if ("content" in source) {
    if (typeof source.content !== "string" && !(source.content instanceof Uint8Array)) throw new SecretsConfigError(source.setting, `${source.setting} must be PEM text (a string or bytes)`);
    return Buffer.from(source.content);
  }
  if (source.file.trim() === "") throw new SecretsConfigError(source.setting, `${source.setting} is empty; give the path of a PEM file`);
  try {
    return fs.readFileSync(source.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SecretsConfigError(source.setting, `${source.setting} points at ${source.file}, which cannot be read (${code}): check the path and that this process may read it`);
  }
}

const where = (source: PemSource) => ("file" in source ? `${source.setting} (${source.file})` : source.setting);

// The parse errors are dropped on purpose: only the setting is named, never the content.
function certificate(source: PemSource): { pem: Buffer; parsed: X509Certificate } {
  const pem = readPem(source);
  try {
    return { pem, parsed: new X509Certificate(pem) };
  } catch {
    throw new SecretsConfigError(source.setting, `${where(source)} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
}

function privateKey(source: PemSource): { pem: Buffer; parsed: KeyObject } {
  const pem = readPem(source);
  try {
    return { pem, parsed: createPrivateKey(pem) };
  } catch {
    throw new SecretsConfigError(source.setting, `${where(source)} is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)`);
  }
}

/** content or file from options.tls: naming both is an error. */
function fromOptions(tls: Record<string, unknown>, content: string, file: string): PemSource | undefined {
  const [c, f] = [tls[content], tls[file]];
  if (c !== undefined && f !== undefined) throw new SecretsConfigError(`options.tls.${content}`, `give options.tls.${content} or options.tls.${file}, not both`);
  if (c !== undefined) return { setting: `options.tls.${content}`, content: c as Pem };
  if (f !== undefined) {
    if (typeof f !== "string") throw new SecretsConfigError(`options.tls.${file}`, `options.tls.${file} must be a file path`);
    return { setting: `options.tls.${file}`, file: f };
  }
  return undefined;
}

function fromEnv(env: NodeJS.ProcessEnv, variable: string): PemSource | undefined {
  const file = env[variable]?.trim();
  return file ? { setting: variable, file } : undefined;
}

interface TlsSources {
  ca?: PemSource;
  cert?: PemSource;
  key?: PemSource;
  serverName?: { setting: string; value: unknown };
}

function sources(options: SecretsClientOptions, env: NodeJS.ProcessEnv): TlsSources | undefined {
  if (options.tls !== undefined) {
    if (options.tls === false) return undefined;
    if (options.tls === true) return {};
    if (typeof options.tls !== "object" || options.tls === null) throw new SecretsConfigError("options.tls", "options.tls must be true, false or an object ({ ca | caFile, cert | certFile, key | keyFile, serverName })");
    const tls = options.tls as Record<string, unknown>;
    return {
      ca: fromOptions(tls, "ca", "caFile"),
      cert: fromOptions(tls, "cert", "certFile"),
      key: fromOptions(tls, "key", "keyFile"),
      ...(tls.serverName !== undefined ? { serverName: { setting: "options.tls.serverName", value: tls.serverName } } : {}),
    };
  }
  const found: TlsSources = {
    ca: fromEnv(env, "KEYWARD_TLS_CA_FILE"),
    cert: fromEnv(env, "KEYWARD_TLS_CERT_FILE"),
    key: fromEnv(env, "KEYWARD_TLS_KEY_FILE"),
    ...(env.KEYWARD_TLS_SERVER_NAME?.trim() ? { serverName: { setting: "KEYWARD_TLS_SERVER_NAME", value: env.KEYWARD_TLS_SERVER_NAME.trim() } } : {}),
  };
  const any = Object.values(found).some((v) => v !== undefined);
  const onOff = env.KEYWARD_TLS?.trim().toLowerCase();
  if (!onOff) return any ? found : undefined;
  if (onOff !== "1" && onOff !== "true" && onOff !== "0" && onOff !== "false") throw new SecretsConfigError("KEYWARD_TLS", `KEYWARD_TLS must be 1 or true (TLS) or 0 or false (plaintext), got ${JSON.stringify(env.KEYWARD_TLS)}`);
  if (onOff === "1" || onOff === "true") return found;
  if (any) throw new SecretsConfigError("KEYWARD_TLS", "KEYWARD_TLS turns TLS off, but KEYWARD_TLS_* files or a server name are set: unset one or the other");
  return undefined;
}

/**
 * TLS from `options.tls` when given, else from the KEYWARD_TLS* variables; undefined is plaintext.
 * Every PEM is read and parsed here, and a client certificate is checked against its key, so a
 * mistake is a SecretsConfigError naming its setting at startup, never a failed handshake later.
 */
export function resolveTls(options: SecretsClientOptions, env: NodeJS.ProcessEnv): ResolvedTls | undefined {
  const found = sources(options, env);
  if (!found) return undefined;
  const resolved: ResolvedTls = {};
  if (found.ca) resolved.ca = certificate(found.ca).pem;
  if (found.cert && !found.key) throw new SecretsConfigError(found.cert.setting, `${found.cert.setting} is set without a private key: mutual TLS needs the client certificate and its key (${keySetting(found.cert.setting)})`);
  if (found.key && !found.cert) throw new SecretsConfigError(found.key.setting, `${found.key.setting} is set without a certificate: mutual TLS needs the client certificate and its key (${certSetting(found.key.setting)})`);
  if (found.cert && found.key) {
    const cert = certificate(found.cert);
    const key = privateKey(found.key);
    if (!cert.parsed.checkPrivateKey(key.parsed)) throw new SecretsConfigError(found.key.setting, `${where(found.key)} is not the private key of the certificate in ${where(found.cert)}`);
    resolved.cert = cert.pem;
    resolved.key = key.pem;
  }
  if (found.serverName) {
    const { setting, value } = found.serverName;
    if (typeof value !== "string" || !(DNS_NAME.test(value) || net.isIP(value))) {
      throw new SecretsConfigError(setting, `${setting} must be the DNS name (or IP address) on the service's certificate, e.g. keyward.internal, got ${JSON.stringify(value)}`);
    }
    resolved.serverName = value;
  }
  return resolved;
}

const keySetting = (certSetting: string) => (certSetting === "KEYWARD_TLS_CERT_FILE" ? "set KEYWARD_TLS_KEY_FILE too" : "give options.tls.key or options.tls.keyFile too");
const certSetting = (keySetting: string) => (keySetting === "KEYWARD_TLS_KEY_FILE" ? "set KEYWARD_TLS_CERT_FILE too" : "give options.tls.cert or options.tls.certFile too");
