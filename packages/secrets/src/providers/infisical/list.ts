import type { InfisicalSDK } from "@infisical/sdk";
import { loadPeerSdk } from "../peer-sdk.js";
import { ProviderError } from "../types.js";
import { validateInfisicalConfig, type InfisicalProviderConfig } from "./config.js";
import { infisicalStatus, toProviderError } from "./errors.js";

/** One secret found by readInfisicalSecrets: its key in the folder and its value (references resolved). */
export interface InfisicalListedSecret {
  key: string;
  value: string;
}

/**
 * The secrets of one folder (`secretPath`, default "/") of a project's environment, for `keyward
 * import --from infisical`: logs in with universal auth and lists the folder with values and
 * references resolved. Only the folder's own secrets: imported ones belong to the folder they come
 * from (config.includeImports is not used). Infisical's list endpoint answers a folder in one page.
 * A value hidden from the identity fails the whole read (permission_denied naming the key).
 */
export async function readInfisicalSecrets(input: InfisicalProviderConfig, { signal }: { signal: AbortSignal }): Promise<InfisicalListedSecret[]> {
  const config = validateInfisicalConfig(input);
  const folder = config.secretPath ?? "/";
  const race = <T>(run: Promise<T>): Promise<T> =>
    signal.aborted ? Promise.reject(signal.reason) : Promise.race([run, new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }))]);
  const { InfisicalSDK: Sdk } = loadPeerSdk<typeof import("@infisical/sdk")>("@infisical/sdk", "infisical");
  let sdk: InfisicalSDK;
  try {
    sdk = await race(new Sdk({ siteUrl: config.siteUrl ?? "https://app.infisical.com" }).auth().universalAuth.login({ clientId: config.clientId, clientSecret: config.clientSecret }));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const status = infisicalStatus(error);
    if (status === 400 || status === 401 || status === 403 || status === 404) throw new ProviderError("unauthenticated", `Infisical refused the universal-auth login (${status}): check the client id and client secret`);
    throw toProviderError("the universal-auth login", error);
  }
  let listed;
  try {
    listed = await race(
      sdk.secrets().listSecrets({
        projectId: config.projectId,
        environment: config.environment,
        secretPath: folder,
        expandSecretReferences: config.expandSecretReferences ?? true,
        includeImports: false,
        viewSecretValue: true,
      }),
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (infisicalStatus(error) === 404) throw new ProviderError("invalid_config", `Infisical has no project ${config.projectId} / environment ${config.environment} / folder ${folder} (404)`);
    throw toProviderError(`listing ${folder}`, error);
  }
  const hidden = listed.secrets.filter((s) => s.secretValueHidden).map((s) => s.secretKey);
  if (hidden.length > 0) throw new ProviderError("permission_denied", `Infisical hides the value of ${hidden.join(", ")} in ${folder} from this identity`);
  return listed.secrets.map((s) => ({ key: s.secretKey, value: s.secretValue }));
}
