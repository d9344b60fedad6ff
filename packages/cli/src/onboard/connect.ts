import fs from "node:fs";
import path from "node:path";
import { COMBINED_FILE_NAME, createSecretsClient, generateServiceToken, SCHEMA_FILE_NAME, SecretsBatchError, SecretsClientError, type SecretsSchemaDoc } from "@keyward/secrets";
import type { OnboardAnswers } from "./answers.js";
import { ensureIgnored, upsertEnvFile } from "./env-file.js";
import { grpcHealth, type HealthStatus } from "./grpc-health.js";

/** Where the app's token lives, relative to its directory (kept out of git). */
export const TOKEN_FILE = ".keyward/service-token";

/** What each declared secret would do for the app right now. */
export type SecretState = "served" | "optional_unserved" | "token_pending" | "access_pending" | "no_value" | "missing" | "disabled" | "denied" | "error";

export interface ConnectResult {
  tokenFile: string;
  tokenCreated: boolean;
  envFile: string;
  envChanged: string[];
  health: HealthStatus;
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

/**
 * Creates the app's service token (0600, git-ignored; never printed), writes the .env lines the
 * client reads (service URL, token file, environment, service name), checks gRPC health, registers
 * the token and reports, per declared secret, whether the app would get it now. A value the check
 * fetches is dropped at once, never kept or shown.
 */
export async function connectApp(answers: OnboardAnswers, cwd: string): Promise<ConnectResult> {
  const dir = path.resolve(cwd, answers.dir);
  const { file: tokenFile, created: tokenCreated } = generateServiceToken({ file: path.join(dir, TOKEN_FILE) });
  ensureIgnored(path.join(dir, ".gitignore"), ".keyward/");
  const envFile = path.join(dir, ".env");
  const { changed: envChanged } = upsertEnvFile(envFile, {
    KEYWARD_URL: answers.serviceUrl,
    KEYWARD_TOKEN_FILE: TOKEN_FILE,
    KEYWARD_ENVIRONMENT: answers.environment,
    KEYWARD_SERVICE_NAME: answers.service,
  });
  const base = { tokenFile, tokenCreated, envFile, envChanged };
  const health = await grpcHealth(answers.serviceUrl);
  if (health !== "serving") return { ...base, health, token: undefined, secrets: [] };

  const schema = appSchema(dir);
  const client = createSecretsClient(schema, { url: answers.serviceUrl, tokenFile, serviceName: answers.service, environment: answers.environment, cache: false, retry: { maxAttempts: 1 } });
  try {
    const token = (await client.register()) as ConnectResult["token"];
    const names = Object.keys((schema as { properties: Record<string, unknown> }).properties);
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
    return { ...base, health, token, secrets };
  } finally {
    await client.close();
  }
}
