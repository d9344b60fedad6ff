import fs from "node:fs";
import path from "node:path";
import { SecretsConfigError } from "./config-error.js";
import type { EnvConfig } from "./config.js";
import { declaredSecret, isOptional, requestedNames } from "./declared.js";
import { parseDotenv } from "./dotenv.js";
import { SecretsClientError } from "./errors.js";
import { unsupportedSigning } from "./signing.js";
import { createRedactor } from "./redactor.js";
import { settleByName } from "./settle.js";
import type { SecretsClient, SecretsSchemaDoc } from "./types.js";
import { createValueValidator } from "./validate-value.js";

function readDotenv(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new SecretsConfigError(file, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseDotenv(text, file);
}

/**
 * The "env" mode client, for local development and for moving off env vars: the same typed API
 * and the same schema checks, with values from `env` (process.env) and the .env file (`env` wins,
 * as with dotenv). Both are read once, when the client is created. An empty value counts as unset.
 */
export function createEnvClient<S extends SecretsSchemaDoc>(schema: S, config: EnvConfig, env: NodeJS.ProcessEnv): SecretsClient<S> {
  const validate = createValueValidator(schema);
  const envFile = path.resolve(config.envFile);
  const values: Record<string, string | undefined> = { ...readDotenv(envFile), ...env };
  const redactor = createRedactor();
  let closed = false;

  const read = (name: string): string | undefined => {
    const def = declaredSecret(schema, name);
    if (closed) throw new SecretsClientError(name, "closed", `cannot read secret ${name}: the client is closed`);
    const value = values[name];
    if (value === undefined || value === "") {
      if (isOptional(def)) return undefined;
      throw new SecretsClientError(name, "secret_missing", `secret ${name} is not set: set the environment variable ${name} or add ${name}=… to ${config.envFile} (mode "env")`);
    }
    const invalid = validate(name, value);
    if (invalid) throw invalid;
    redactor.remember(name, value);
    return value;
  };

  return {
    getSecret: async (name) => read(name) as never,
    async getSecrets(names?: readonly string[]) {
      const list = requestedNames(schema, names);
      return (await settleByName(
        list,
        list.map(async (name) => read(name)),
      )) as never;
    },
    register: async () => "approved",
    registration: async () => ({ status: "approved" }),
    waitForApproval: async () => ({ status: "approved" }),
    health: async () => (closed ? { status: "unavailable", reason: "the client is closed" } : { status: "healthy" }),
    sign: () => unsupportedSigning("env"),
    verify: () => unsupportedSigning("env"),
    redact: (text) => redactor.redact(text),
    async close() {
      closed = true;
      redactor.clear();
    },
  };
}
