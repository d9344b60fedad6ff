import type { InfisicalSDK } from "@infisical/sdk";
import { loadPeerSdk } from "../peer-sdk.js";
import { ProviderError, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type SecretProvider } from "../types.js";
import { parseInfisicalPath, validateInfisicalConfig, type InfisicalProviderConfig, infisicalDefaultNaming } from "./config.js";
import { infisicalStatus, statusError, toProviderError } from "./errors.js";
import { probeFolder } from "./health-probe.js";

type Sdk = InfisicalSDK;
type Listed = Map<string, { value: string; version: number; hidden: boolean }>;

/** Resolves with the SDK's promise, or rejects when the signal aborts (the SDK takes no signal). */
function withSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    run().then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A SecretProvider over Infisical with the official SDK and universal auth. A fetch lists each
 * folder once (values, imports and references resolved by Infisical) and picks the keys.
 */
export function createInfisicalProvider(input: InfisicalProviderConfig): SecretProvider {
  const config = validateInfisicalConfig(input);
  const { InfisicalSDK } = loadPeerSdk<typeof import("@infisical/sdk")>("@infisical/sdk", "infisical");
  const siteUrl = config.siteUrl ?? "https://app.infisical.com";
  const baseFolder = config.secretPath ?? "/";
  let session: Promise<Sdk> | undefined;
  let closed = false;

  const login = (signal: AbortSignal): Promise<Sdk> => {
    session ??= (async () => {
      try {
        return await new InfisicalSDK({ siteUrl }).auth().universalAuth.login({ clientId: config.clientId, clientSecret: config.clientSecret });
      } catch (error) {
        const status = infisicalStatus(error);
        // No login route there: siteUrl is not an Infisical (or misses the path it is served below).
        if (status === 404) throw new ProviderError("invalid_config", `Infisical has no universal-auth login at ${siteUrl} (404): check siteUrl`);
        if (status === 400 || status === 401 || status === 403) {
          throw new ProviderError("unauthenticated", `Infisical refused the universal-auth login (${status}): check clientId and clientSecret`);
        }
        throw toProviderError("the universal-auth login", error);
      }
    })();
    const current = session;
    // A failed login is not remembered: the next call tries again.
    current.catch(() => {
      if (session === current) session = undefined;
    });
    return withSignal(signal, () => current);
  };

  /** Lists one folder; on a 401 (token expired) logs in again once. */
  const list = async (folder: string, signal: AbortSignal, viewSecretValue = true): Promise<Listed> => {
    for (let attempt = 0; ; attempt++) {
      const sdk = await login(signal);
      try {
        const res = await withSignal(signal, () =>
          sdk.secrets().listSecrets({
            projectId: config.projectId,
            environment: config.environment,
            secretPath: folder,
            expandSecretReferences: config.expandSecretReferences ?? true,
            includeImports: config.includeImports ?? true,
            viewSecretValue,
          }),
        );
        const out: Listed = new Map();
        // Imports first, so that the folder's own secrets override them (Infisical's own rule).
        for (const imp of res.imports ?? []) for (const s of imp.secrets) if (!out.has(s.secretKey)) out.set(s.secretKey, { value: s.secretValue, version: s.version, hidden: !!s.secretValueHidden });
        for (const s of res.secrets) out.set(s.secretKey, { value: s.secretValue, version: s.version, hidden: !!s.secretValueHidden });
        return out;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (infisicalStatus(error) === 401 && attempt === 0) {
          session = undefined;
          continue;
        }
        throw error;
      }
    }
  };

  return {
    kind: "infisical",
    naming: input.naming ?? infisicalDefaultNaming,
    async fetch(refs: readonly ProviderSecretRef[], { signal }: { signal: AbortSignal }) {
      if (closed) throw new ProviderError("unavailable", "infisical provider is closed");
      const parsed = refs.map((ref) => ({ ref, at: parseInfisicalPath(ref.path, baseFolder) }));
      const bad = parsed.filter((p) => p.at === undefined);
      if (bad.length > 0) {
        throw new ProviderError(
          "invalid_config",
          `infisical provider: a path is a key (letters, digits, '_', '-', '.') or "/folder/KEY": ${bad.map((p) => `${p.ref.name} → "${p.ref.path}"`).join(", ")}`,
        );
      }
      const results = new Map<string, ProviderFetchResult>();
      const folders = [...new Set(parsed.map((p) => p.at!.folder))];
      for (const folder of folders) {
        const mine = parsed.filter((p) => p.at!.folder === folder);
        let listed: Listed;
        try {
          listed = await list(folder, signal);
        } catch (error) {
          if (error instanceof ProviderError || signal.aborted) throw error;
          const status = infisicalStatus(error);
          if (status === 404) {
            // No such folder: nothing in it exists.
            for (const p of mine) results.set(p.ref.name, { kind: "missing" });
            continue;
          }
          if (status === 403) {
            for (const p of mine) results.set(p.ref.name, { kind: "denied", message: `Infisical refused reading folder ${folder} in ${config.environment} (403)` });
            continue;
          }
          throw toProviderError(`listing ${folder}`, error);
        }
        for (const p of mine) {
          const s = listed.get(p.at!.key);
          if (s === undefined) results.set(p.ref.name, { kind: "missing" });
          else if (s.hidden) results.set(p.ref.name, { kind: "denied", message: `Infisical hides the value of ${folder === "/" ? "" : folder}/${p.at!.key} from this identity` });
          else results.set(p.ref.name, { kind: "ok", value: s.value, version: String(s.version) });
        }
      }
      return results;
    },
    async health({ signal }: { signal: AbortSignal }): Promise<ProviderHealth> {
      if (closed) return { status: "unavailable", reason: "infisical provider is closed" };
      const what = `listing ${baseFolder}`;
      try {
        // Logs in and lists the base folder without values: proves the login, project, environment and folder.
        for (let attempt = 0; ; attempt++) {
          const token = (await login(signal)).auth().getAccessToken();
          if (token === null) throw new ProviderError("unauthenticated", "Infisical's universal-auth login gave no access token");
          const status = await withSignal(signal, () => probeFolder({ siteUrl, projectId: config.projectId, environment: config.environment, secretPath: baseFolder }, token, signal));
          if (status === 401 && attempt === 0) {
            session = undefined; // expired: log in again once
            continue;
          }
          if (status >= 200 && status < 300) return { status: "healthy" };
          if (status === 404) return { status: "unavailable", reason: `Infisical has no project ${config.projectId} / environment ${config.environment} / folder ${baseFolder} (404)` };
          const e = statusError(what, status);
          return { status: e.reason === "throttled" ? "degraded" : "unavailable", reason: e.message };
        }
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: "unavailable", reason: (error instanceof ProviderError ? error : toProviderError(what, error)).message };
      }
    },
    async close() {
      closed = true;
      session = undefined;
    },
  };
}
