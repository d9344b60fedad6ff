import fs from "node:fs";
import path from "node:path";
import {
  COMBINED_FILE_NAME,
  createSecretsClient,
  generateServiceToken,
  SCHEMA_FILE_NAME,
  SecretsBatchError,
  SecretsClientError,
  type ProviderHealth,
  type SecretProvider,
  type SecretsSchemaDoc,
} from "@keyward/secrets";
import type { OnboardAnswers } from "./answers.js";
import { ensureIgnored, upsertEnvFile } from "./env-file.js";
import { grpcHealth, type HealthStatus } from "./grpc-health.js";
import { makeProvider, providerHealth, type ProviderKind } from "./providers.js";

/** Where the app's token lives, relative to its directory (kept out of git). */
export const TOKEN_FILE = ".keyward/service-token";

/** What each declared secret would do for the app right now. */
export type SecretState = "served" | "optional_unserved" | "token_pending" | "access_pending" | "no_value" | "missing" | "disabled" | "denied" | "error";

export interface ConnectResult {
  /** Where the app's values come from. */
  provider: ProviderKind;
  /** The service token file (Keyward only). */
  tokenFile?: string;
  tokenCreated: boolean;
  envFile: string;
  envChanged: string[];
  /** Keyward: its gRPC health; another provider: "serving" when its health() is healthy or degraded, else "unreachable". */
  health: HealthStatus;
  /** Another provider's own health() answer (secret-free). */
  providerHealth?: ProviderHealth;
  /** The token's status after registering, or undefined when the service could not be reached. */
  token: "approved" | "pending" | "revoked" | "expired" | undefined;
  secrets: { name: string; state: SecretState; detail?: string }[];
}

const STATE_OF: Record<string, SecretState> = {
  token_pending: "token_pending",
  access_pending: "access_pending",
  secret_no_value: "no_value",
  secret_missing: "missing",
  secret_disabled: "disabled",
  access_denied: "denied",
  access_revoked: "denied",
};

/** The app's combined schema (its own plus its dependencies'), or its own when it was never generated. */
function appSchema(dir: string): SecretsSchemaDoc {
  for (const file of [COMBINED_FILE_NAME, SCHEMA_FILE_NAME]) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, "utf8")) as SecretsSchemaDoc;
  }
  return { type: "object", properties: {} } as unknown as SecretsSchemaDoc;
}

/** Per declared secret, whether the client would serve it now; a fetched value is dropped at once. */
async function checkSecrets(client: { getSecret: unknown }, names: string[]): Promise<ConnectResult["secrets"]> {
  const secrets: ConnectResult["secrets"] = [];
  for (const name of names) {
    try {
      // An optional secret the app cannot have yet reads as undefined rather than failing.
      const value = await (client.getSecret as (n: string) => Promise<unknown>)(name);
      secrets.push({ name, state: value === undefined ? "optional_unserved" : "served" });
    } catch (error) {
      const reason = error instanceof SecretsClientError && !(error instanceof SecretsBatchError) ? error.reason : undefined;
      secrets.push({ name, state: (reason && STATE_OF[reason]) ?? "error", ...(reason && STATE_OF[reason] ? {} : { detail: reason ?? "unexpected error" }) });
    }
  }
  return secrets;
}

const declaredNames = (schema: SecretsSchemaDoc) => Object.keys((schema as { properties: Record<string, unknown> }).properties);

/**
 * Creates the app's service token (0600, git-ignored; never printed), writes the .env lines the
 * client reads (service URL, token file, environment, service name), checks gRPC health, registers
 * the token and reports, per declared secret, whether the app would get it now. A value the check
 * fetches is dropped at once, never kept or shown. With another provider there is no token: the
 * provider's own health() is checked instead (credentials from `env`), then each secret through it.
 */
export async function connectApp(answers: OnboardAnswers, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ConnectResult> {
  const dir = path.resolve(cwd, answers.dir);
  const kind = answers.provider?.kind ?? "keyward";
  if (kind !== "keyward") return connectProvider(answers, dir, env);
  const serviceUrl = answers.serviceUrl!;
  const { file: tokenFile, created: tokenCreated } = generateServiceToken({ file: path.join(dir, TOKEN_FILE) });
  ensureIgnored(path.join(dir, ".gitignore"), ".keyward/");
  const envFile = path.join(dir, ".env");
  const { changed: envChanged } = upsertEnvFile(envFile, {
    KEYWARD_URL: serviceUrl,
    KEYWARD_TOKEN_FILE: TOKEN_FILE,
    KEYWARD_ENVIRONMENT: answers.environment,
    KEYWARD_SERVICE_NAME: answers.service,
  });
  const base = { provider: kind, tokenFile, tokenCreated, envFile, envChanged };
  const health = await grpcHealth(serviceUrl);
  if (health !== "serving") return { ...base, health, token: undefined, secrets: [] };

  const schema = appSchema(dir);
  const client = createSecretsClient(schema, { url: serviceUrl, tokenFile, serviceName: answers.service, environment: answers.environment, cache: false, retry: { maxAttempts: 1 } });
  try {
    const token = (await client.register()) as ConnectResult["token"];
    return { ...base, health, token, secrets: await checkSecrets(client, declaredNames(schema)) };
  } finally {
    await client.close();
  }
}

async function connectProvider(answers: OnboardAnswers, dir: string, env: NodeJS.ProcessEnv): Promise<ConnectResult> {
  const kind = answers.provider!.kind;
  const envFile = path.join(dir, ".env");
  const { changed: envChanged } = upsertEnvFile(envFile, { KEYWARD_ENVIRONMENT: answers.environment, KEYWARD_SERVICE_NAME: answers.service });
  const base = { provider: kind, tokenCreated: false, envFile, envChanged, token: undefined };
  let provider: SecretProvider | "env" = "env";
  let checked: ProviderHealth = { status: "healthy" };
  if (kind !== "env") {
    try {
      provider = await makeProvider(answers.provider!, env);
      checked = await providerHealth(provider);
    } catch (error) {
      // Bad settings or a missing SDK: their messages name the setting or the package, never a credential.
      checked = { status: "unavailable", reason: error instanceof Error ? error.message : "the provider could not be made" };
    }
  }
  const health: HealthStatus = checked.status === "unavailable" ? "unreachable" : "serving";
  if (health !== "serving") {
    if (typeof provider === "object") await provider.close();
    return { ...base, health, providerHealth: checked, secrets: [] };
  }
  const schema = appSchema(dir);
  const client = createSecretsClient(schema, { provider, env, envFile, serviceName: answers.service, environment: answers.environment, cache: false, retry: { maxAttempts: 1 } });
  try {
    return { ...base, health, providerHealth: checked, secrets: await checkSecrets(client, declaredNames(schema)) };
  } finally {
    await client.close();
  }
}
