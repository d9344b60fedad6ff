import { UsageError } from "@keyward/common";
import type { ImportEntry } from "./entries.js";
import { checkProviderEntries, providerPathToName } from "./provider-entries.js";
import { loadProviderModule, providerFailure } from "./provider-failure.js";

export const INFISICAL_SDKS = ["@infisical/sdk"] as const;

export interface InfisicalImportOptions {
  projectId: string;
  /** The Infisical environment slug (dev, staging, prod, …). */
  environment: string;
  /** The folder, default "/". */
  folder: string;
}

/**
 * The secrets of one Infisical folder as import entries (INFISICAL_CLIENT_ID, INFISICAL_CLIENT_SECRET
 * of a machine identity with universal auth; INFISICAL_SITE_URL, default Infisical Cloud): each key
 * mapped by providerPathToName (STRIPE_KEY stays, db-url → DB_URL), checked all or nothing.
 */
export async function readInfisicalImport(env: NodeJS.ProcessEnv, options: InfisicalImportOptions, load = () => import("@keyward/secrets/infisical")): Promise<ImportEntry[]> {
  if (!env.INFISICAL_CLIENT_ID || !env.INFISICAL_CLIENT_SECRET) throw new UsageError("set INFISICAL_CLIENT_ID and INFISICAL_CLIENT_SECRET (a machine identity's universal auth) to read from Infisical");
  const { readInfisicalSecrets } = await loadProviderModule("Infisical", INFISICAL_SDKS, load);
  let listed;
  try {
    listed = await readInfisicalSecrets(
      {
        clientId: env.INFISICAL_CLIENT_ID,
        clientSecret: env.INFISICAL_CLIENT_SECRET,
        projectId: options.projectId,
        environment: options.environment,
        secretPath: options.folder,
        ...(env.INFISICAL_SITE_URL ? { siteUrl: env.INFISICAL_SITE_URL } : {}),
      },
      { signal: AbortSignal.timeout(120_000) },
    );
  } catch (error) {
    providerFailure("Infisical", error);
  }
  return checkProviderEntries(
    `Infisical ${options.environment}${options.folder}`,
    listed.map((s) => ({ path: `${options.folder === "/" ? "" : options.folder}/${s.key}`, name: providerPathToName(s.key), value: s.value })),
  );
}
