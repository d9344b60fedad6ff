import fs from "node:fs/promises";
import { ProviderError } from "../types.js";
import type { ResolvedVaultConfig } from "./config.js";
import { transientError, vaultErrors, vaultRequest, type VaultResponse } from "./http.js";

/** A token in hand and its lease (undefined: Vault did not say, so it is used until refused). */
interface Lease {
  token: string;
  expiresAt: number | undefined;
  renewAt: number | undefined;
  renewable: boolean;
}

export interface VaultSession {
  /** A usable token: logs in when there is none or its lease has run out, renews it past two thirds of the lease. */
  token(signal: AbortSignal): Promise<string>;
  /** After a 403: whether the token itself is bad (lookup-self refused). If so, and the method can log in again, it does; answers whether to retry. */
  recover(refused: string, signal: AbortSignal): Promise<boolean>;
  forget(): void;
}

function leaseOf(config: ResolvedVaultConfig, auth: Record<string, unknown> | undefined, token: string): Lease {
  const seconds = typeof auth?.lease_duration === "number" ? auth.lease_duration : 0;
  const now = config.now();
  return {
    token,
    expiresAt: seconds > 0 ? now + seconds * 1000 : undefined,
    renewAt: seconds > 0 ? now + (seconds * 1000 * 2) / 3 : undefined,
    renewable: auth?.renewable === true,
  };
}

function loginFailed(res: VaultResponse, method: string): ProviderError {
  const transient = transientError(res, `log in (${method})`);
  if (transient) return transient;
  if (res.status === 400 || res.status === 401 || res.status === 403) return new ProviderError("unauthenticated", `Vault refused the ${method} login (${res.status}: ${vaultErrors(res)})`);
  return new ProviderError("internal", `Vault answered the ${method} login with ${res.status}: ${vaultErrors(res)}`);
}

export function createVaultSession(config: ResolvedVaultConfig): VaultSession {
  const { auth } = config;
  let lease: Lease | undefined;
  let pending: Promise<Lease> | undefined;

  const login = async (signal: AbortSignal): Promise<Lease> => {
    if (auth.method === "token") return { token: auth.token, expiresAt: undefined, renewAt: undefined, renewable: true };
    let body: Record<string, string>;
    if (auth.method === "approle") body = { role_id: auth.roleId, secret_id: auth.secretId };
    else {
      let jwt: string;
      try {
        jwt = (await fs.readFile(config.jwtFile, "utf8")).trim();
      } catch (error) {
        throw new ProviderError("invalid_config", `cannot read the Kubernetes service account token ${config.jwtFile} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
      }
      body = { role: auth.role, jwt };
    }
    const res = await vaultRequest(config, "POST", `auth/${config.authMount}/login`, { body, signal });
    const authBlock = res.body?.auth as Record<string, unknown> | undefined;
    if (res.status !== 200 || typeof authBlock?.client_token !== "string") throw loginFailed(res, auth.method);
    return leaseOf(config, authBlock, authBlock.client_token);
  };

  const renew = async (current: Lease, signal: AbortSignal): Promise<Lease> => {
    const res = await vaultRequest(config, "POST", "auth/token/renew-self", { token: current.token, body: {}, signal });
    const authBlock = res.body?.auth as Record<string, unknown> | undefined;
    if (res.status === 200 && authBlock) return leaseOf(config, authBlock, current.token);
    const transient = transientError(res, "renew its token");
    if (transient) throw transient;
    // Not renewable any more (max TTL reached, revoked): log in again.
    return login(signal);
  };

  /** One login or renewal at a time, shared by every caller. */
  const refresh = (make: () => Promise<Lease>): Promise<Lease> => {
    pending ??= make().then(
      (next) => {
        lease = next;
        pending = undefined;
        return next;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };

  return {
    async token(signal) {
      const now = config.now();
      if (!lease || (lease.expiresAt !== undefined && now >= lease.expiresAt)) return (await refresh(() => login(signal))).token;
      if (lease.renewable && lease.renewAt !== undefined && now >= lease.renewAt) {
        const current = lease;
        return (await refresh(() => renew(current, signal))).token;
      }
      return lease.token;
    },
    async recover(refused, signal) {
      const res = await vaultRequest(config, "GET", "auth/token/lookup-self", { token: refused, signal });
      if (res.status === 200) return false;
      const transient = transientError(res, "look up its token");
      if (transient) throw transient;
      if (auth.method === "token") throw new ProviderError("unauthenticated", `Vault refused the token (${res.status}: ${vaultErrors(res)})`);
      if (lease?.token === refused) lease = undefined;
      await this.token(signal);
      return true;
    },
    forget() {
      lease = undefined;
    },
  };
}
