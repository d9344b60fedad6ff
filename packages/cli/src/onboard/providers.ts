import { createRequire } from "node:module";
import type { ProviderHealth, SecretProvider } from "@keyward/secrets";
import { AWS_SDKS, awsImportConfig } from "../import/from-aws.js";
import { AZURE_SDKS, azureImportConfig } from "../import/from-azure.js";
import { INFISICAL_SDKS } from "../import/from-infisical.js";
import { loadProviderModule } from "../import/provider-failure.js";

/** Where an onboarded app's values come from: Keyward (default), environment variables, or another store. */
export const PROVIDER_KINDS = ["keyward", "env", "vault", "aws", "azure", "infisical"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const NAMING_CASES = ["as-is", "lower", "kebab"] as const;

/**
 * The provider answer: its kind and the settings written into secrets-client.ts. Credentials are
 * never answers: the generated client reads them from the store's usual variables at run time.
 */
export interface ProviderAnswer {
  kind: ProviderKind;
  /** vault: its address, e.g. https://vault.example.com:8200 (VAULT_ADDR overrides it at run time). */
  address?: string;
  /** vault: the KV v2 mount (default "secret"). */
  mount?: string;
  /** aws: the region (default AWS_REGION at run time). */
  region?: string;
  /** azure: the vault, e.g. https://my-vault.vault.azure.net. */
  vaultUrl?: string;
  /** infisical: the project id. */
  projectId?: string;
  /** infisical: the environment slug (dev, prod, …). */
  environmentSlug?: string;
  /** infisical: the site (default Infisical Cloud). */
  siteUrl?: string;
  /** infisical: the folder (default "/"). */
  secretPath?: string;
  /** Naming rule: a template with {name}, e.g. "apps/billing/{name}" (default: the provider's). */
  template?: string;
  case?: (typeof NAMING_CASES)[number];
}

type Field = Exclude<keyof ProviderAnswer, "kind">;
const NAMING: Field[] = ["template", "case"];
/** The fields each kind takes, and which of them it needs. */
export const PROVIDER_FIELDS: Record<ProviderKind, { allowed: Field[]; required: Field[] }> = {
  keyward: { allowed: [], required: [] },
  env: { allowed: [], required: [] },
  vault: { allowed: ["address", "mount", ...NAMING], required: ["address"] },
  aws: { allowed: ["region", ...NAMING], required: [] },
  azure: { allowed: ["vaultUrl", ...NAMING], required: ["vaultUrl"] },
  infisical: { allowed: ["projectId", "environmentSlug", "siteUrl", "secretPath", ...NAMING], required: ["projectId", "environmentSlug"] },
};

/** What is wrong with a provider answer beyond its JSON schema: fields the kind needs or does not take. */
export function providerProblems(answer: ProviderAnswer): string[] {
  const { allowed, required } = PROVIDER_FIELDS[answer.kind];
  const problems: string[] = [];
  for (const field of required) if (answer[field] === undefined) problems.push(`provider.${field} is required for provider ${answer.kind}`);
  for (const field of Object.keys(answer) as (Field | "kind")[]) {
    if (field !== "kind" && !allowed.includes(field)) problems.push(`provider.${field} does not go with provider ${answer.kind}${allowed.length > 0 ? ` (it takes ${allowed.join(", ")})` : ""}`);
  }
  if (answer.template !== undefined && !answer.template.includes("{name}")) problems.push(`provider.template must contain {name}, e.g. "apps/billing/{name}"`);
  return problems;
}

const SDKS: Record<ProviderKind, readonly string[]> = { keyward: [], env: [], vault: [], aws: AWS_SDKS, azure: AZURE_SDKS, infisical: INFISICAL_SDKS };

/** The SDK packages (with @keyward/secrets' peer ranges, one source) an app needs for the provider. */
export function providerDependencies(kind: ProviderKind): Record<string, string> {
  const peers = (createRequire(import.meta.url)("@keyward/secrets/package.json") as { peerDependencies: Record<string, string> }).peerDependencies;
  return Object.fromEntries(SDKS[kind].map((sdk) => [sdk, peers[sdk] ?? "*"]));
}

const str = (v: string) => JSON.stringify(v);
const namingOf = (a: ProviderAnswer) =>
  a.template === undefined && a.case === undefined ? "" : `\n    naming: { ${[a.template !== undefined ? `template: ${str(a.template)}` : "", a.case !== undefined ? `case: ${str(a.case)}` : ""].filter(Boolean).join(", ")} },`;

/** The `provider:` lines of secrets-client.ts and the import they need (nothing for keyward). */
function providerCode(a: ProviderAnswer): { imports: string; option: string; comment: string } | undefined {
  switch (a.kind) {
    case "keyward":
      return undefined;
    case "env":
      return { imports: "", option: `provider: "env",`, comment: "Values come from environment variables and .env, checked by the schema." };
    case "vault":
      return {
        imports: `import { vault } from "@keyward/secrets/vault";\n`,
        option: `provider: vault({
    address: process.env.VAULT_ADDR ?? ${str(a.address!)},${a.mount !== undefined ? `\n    mount: ${str(a.mount)},` : ""}
    auth: process.env.VAULT_ROLE_ID
      ? { method: "approle", roleId: process.env.VAULT_ROLE_ID, secretId: process.env.VAULT_SECRET_ID ?? "" }
      : { method: "token", token: process.env.VAULT_TOKEN ?? "" },${namingOf(a)}
  }),`,
        comment: "Values come from Vault KV v2: VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole).",
      };
    case "aws":
      return {
        imports: `import { createAwsProvider } from "@keyward/secrets/aws";\n`,
        option: `provider: createAwsProvider({${a.region !== undefined ? `\n    region: ${str(a.region)},` : ""}${namingOf(a)}
  }),`,
        comment: "Values come from AWS Secrets Manager with the SDK's default credential chain.",
      };
    case "azure":
      return {
        imports: `import { createAzureProvider } from "@keyward/secrets/azure";\n`,
        option: `provider: createAzureProvider({
    vaultUrl: ${str(a.vaultUrl!)},${namingOf(a)}
  }),`,
        comment: "Values come from Azure Key Vault with DefaultAzureCredential (AZURE_* variables, managed identity, …).",
      };
    case "infisical":
      return {
        imports: `import { createInfisicalProvider } from "@keyward/secrets/infisical";\n`,
        option: `provider: createInfisicalProvider({${a.siteUrl !== undefined ? `\n    siteUrl: ${str(a.siteUrl)},` : ""}
    clientId: process.env.INFISICAL_CLIENT_ID ?? "",
    clientSecret: process.env.INFISICAL_CLIENT_SECRET ?? "",
    projectId: ${str(a.projectId!)},
    environment: ${str(a.environmentSlug!)},${a.secretPath !== undefined ? `\n    secretPath: ${str(a.secretPath)},` : ""}${namingOf(a)}
  }),`,
        comment: "Values come from Infisical: INFISICAL_CLIENT_ID and INFISICAL_CLIENT_SECRET (universal auth).",
      };
  }
}

/** secrets-client.ts for a provider other than Keyward (undefined for keyward: client/init's file stays). */
export function providerClientSource(service: string, a: ProviderAnswer): string | undefined {
  const code = providerCode(a);
  if (!code) return undefined;
  return `// The typed client for ${service}: getSecret accepts only the names its schema declares.
// secrets.ts is generated from secrets.schema.json (and its dependencies' schemas): pnpm secrets:generate.
// ${code.comment}
// Written by keyward onboard; credentials are read from the environment, never stored here.
${code.imports}import { createSecretsClient } from "./secrets.js";

export const secrets = createSecretsClient({
  serviceName: ${str(service)},
  serviceVersion: process.env.npm_package_version ?? "0.0.0",
  ${code.option}
});
`;
}

/**
 * The provider the answer names, made as the generated client makes it, with credentials from
 * `env` (onboard's own environment), to check its health. A missing SDK is thrown as a usage error.
 */
export async function makeProvider(a: ProviderAnswer, env: NodeJS.ProcessEnv): Promise<SecretProvider> {
  const naming = a.template === undefined && a.case === undefined ? {} : { naming: { ...(a.template !== undefined ? { template: a.template } : {}), ...(a.case !== undefined ? { case: a.case } : {}) } };
  switch (a.kind) {
    case "vault": {
      const { vault } = await import("@keyward/secrets/vault");
      const auth = env.VAULT_ROLE_ID ? { method: "approle" as const, roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID ?? "" } : { method: "token" as const, token: env.VAULT_TOKEN ?? "" };
      return vault({ address: env.VAULT_ADDR ?? a.address!, ...(a.mount !== undefined ? { mount: a.mount } : {}), auth, ...naming });
    }
    case "aws": {
      const { createAwsProvider } = await loadProviderModule("AWS", AWS_SDKS, () => import("@keyward/secrets/aws"));
      return createAwsProvider({ ...awsImportConfig(env, a.region), ...naming });
    }
    case "azure": {
      const { createAzureProvider } = await loadProviderModule("Azure Key Vault", AZURE_SDKS, () => import("@keyward/secrets/azure"));
      return createAzureProvider({ ...azureImportConfig(env, a.vaultUrl!), ...naming });
    }
    case "infisical": {
      const { createInfisicalProvider } = await loadProviderModule("Infisical", INFISICAL_SDKS, () => import("@keyward/secrets/infisical"));
      return createInfisicalProvider({
        clientId: env.INFISICAL_CLIENT_ID ?? "",
        clientSecret: env.INFISICAL_CLIENT_SECRET ?? "",
        projectId: a.projectId!,
        environment: a.environmentSlug!,
        ...(a.siteUrl !== undefined ? { siteUrl: a.siteUrl } : {}),
        ...(a.secretPath !== undefined ? { secretPath: a.secretPath } : {}),
        ...naming,
      });
    }
    default:
      throw new Error(`no provider object for ${a.kind}`);
  }
}

/** A provider's health, asked once with a deadline; a failure to even make it (bad settings, missing SDK) is `unavailable` with the reason. */
export async function providerHealth(provider: SecretProvider): Promise<ProviderHealth> {
  try {
    return await provider.health({ signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    return { status: "unavailable", reason: error instanceof Error && error.name !== "Error" ? `${error.name}: ${error.message}` : "the health check failed" };
  }
}
