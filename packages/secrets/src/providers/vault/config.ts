import { isLoopbackHost } from "../../loopback.js";
import { SecretsConfigError } from "../../client/config-error.js";
import { namingProblems } from "../naming.js";
import type { NamingRule } from "../types.js";

export const DEFAULT_KUBERNETES_JWT_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** How the provider logs in to Vault. */
export type VaultAuth =
  /** A Vault token as is (renewed with renew-self when Vault says it is renewable). */
  | { method: "token"; token: string }
  /** AppRole: POST /v1/auth/{mount}/login with role_id and secret_id (mount default "approle"). */
  | { method: "approle"; roleId: string; secretId: string; mount?: string }
  /** Kubernetes: the service account JWT (read from jwtFile at every login) for a Vault role (mount default "kubernetes"). */
  | { method: "kubernetes"; role: string; jwtFile?: string; mount?: string };

export interface VaultOptions {
  /** Vault's address, e.g. https://vault.example.com:8200 (HCP: the cluster's public URL). */
  address: string;
  /** The KV v2 secrets engine's mount (default "secret"). */
  mount?: string;
  /** A Vault Enterprise / HCP namespace, sent as X-Vault-Namespace (HCP: "admin" or below it). */
  namespace?: string;
  auth: VaultAuth;
  /**
   * Schema name → KV path (default: the name as is, so STRIPE_API_KEY reads secret/data/STRIPE_API_KEY).
   * A path may end in "#field" to pick a field of the entry.
   */
  naming?: NamingRule;
  /** The field of a KV entry that holds the value (default "value"); "path#field" overrides it per secret. */
  field?: string;
  /** Reads in flight at once (default 8). */
  concurrency?: number;
  /** For tests: milliseconds since the epoch, for token leases. */
  now?: () => number;
}

export interface ResolvedVaultConfig {
  address: string;
  mount: string;
  namespace: string | undefined;
  auth: VaultAuth;
  authMount: string;
  jwtFile: string;
  naming: NamingRule;
  field: string;
  concurrency: number;
  now: () => number;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Checks every option up front and throws one SecretsConfigError listing each missing or wrong
 * field (never echoing a token or secret id).
 */
export function resolveVaultConfig(options: VaultOptions): ResolvedVaultConfig {
  const o = (options ?? {}) as Partial<VaultOptions>;
  const problems: string[] = [];
  let address = "";
  if (!nonEmpty(o.address)) problems.push("vault.address is required, e.g. https://vault.example.com:8200");
  else {
    try {
      const url = new URL(o.address);
      if (url.protocol !== "http:" && url.protocol !== "https:") problems.push(`vault.address must be an http:// or https:// URL, got ${JSON.stringify(o.address)}`);
      else if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) problems.push(`vault.address must use https (plain http sends the Vault token in clear, so it is allowed only on loopback: localhost, 127.0.0.1, [::1]), got ${JSON.stringify(o.address)}`);
      else address = o.address.replace(/\/+$/, "");
    } catch {
      problems.push(`vault.address must be a URL such as https://vault.example.com:8200, got ${JSON.stringify(o.address)}`);
    }
  }
  const mount = o.mount ?? "secret";
  if (!nonEmpty(mount) || !SEGMENT.test(mount.replace(/^\/+|\/+$/g, ""))) problems.push(`vault.mount must be a KV v2 mount path such as "secret", got ${JSON.stringify(o.mount)}`);
  if (o.namespace !== undefined && !nonEmpty(o.namespace)) problems.push("vault.namespace is empty; leave it out or name the namespace, e.g. admin");
  const field = o.field ?? "value";
  if (!nonEmpty(field)) problems.push(`vault.field must be a non-empty field name, got ${JSON.stringify(o.field)}`);
  const concurrency = o.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) problems.push(`vault.concurrency must be a whole number of at least 1, got ${JSON.stringify(o.concurrency)}`);
  problems.push(...namingProblems(o.naming, "vault.naming"));

  const auth = o.auth as Record<string, unknown> | undefined;
  let authMount = "";
  let jwtFile = DEFAULT_KUBERNETES_JWT_FILE;
  if (auth === undefined || typeof auth !== "object" || auth === null) problems.push('vault.auth is required: { method: "token", token }, { method: "approle", roleId, secretId } or { method: "kubernetes", role }');
  else if (auth.method === "token") {
    if (!nonEmpty(auth.token)) problems.push("vault.auth.token is required (a Vault token) for method \"token\"");
  } else if (auth.method === "approle") {
    if (!nonEmpty(auth.roleId)) problems.push("vault.auth.roleId is required for method \"approle\"");
    if (!nonEmpty(auth.secretId)) problems.push("vault.auth.secretId is required for method \"approle\"");
    authMount = (auth.mount as string | undefined) ?? "approle";
  } else if (auth.method === "kubernetes") {
    if (!nonEmpty(auth.role)) problems.push("vault.auth.role is required (the Vault role bound to this service account) for method \"kubernetes\"");
    if (auth.jwtFile !== undefined && !nonEmpty(auth.jwtFile)) problems.push("vault.auth.jwtFile is empty; leave it out for " + DEFAULT_KUBERNETES_JWT_FILE);
    jwtFile = (auth.jwtFile as string | undefined) ?? DEFAULT_KUBERNETES_JWT_FILE;
    authMount = (auth.mount as string | undefined) ?? "kubernetes";
  } else problems.push(`vault.auth.method must be "token", "approle" or "kubernetes", got ${JSON.stringify(auth.method)}`);
  if (auth && auth.method !== "token" && auth.mount !== undefined && (!nonEmpty(auth.mount) || !SEGMENT.test(auth.mount))) problems.push(`vault.auth.mount must be an auth mount path such as "${auth.method}", got ${JSON.stringify(auth.mount)}`);

  if (problems.length > 0) throw new SecretsConfigError("vault", `vault: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return {
    address,
    mount: mount.replace(/^\/+|\/+$/g, ""),
    namespace: o.namespace,
    auth: o.auth as VaultAuth,
    authMount,
    jwtFile,
    naming: o.naming ?? { template: "{name}", case: "as-is" },
    field,
    concurrency,
    now: o.now ?? Date.now,
  };
}
