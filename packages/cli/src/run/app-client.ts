import path from "node:path";
import { createSecretsClient, DEFAULT_TOKEN_FILE, SecretsConfigError, type SecretsClient, type SecretsSchemaDoc } from "@keyward/secrets";
import { CliError, EXIT } from "../exit-codes.js";
import { environmentFor, serviceNameFor, type AppTarget } from "./app-target.js";

export interface AppClientFlags {
  service?: string;
  environment?: string;
  tokenFile?: string;
  serviceUrl?: string;
}

/**
 * The gRPC address: --service-url, else KEYWARD_SERVICE_URL, else KEYWARD_URL when it is host:port
 * (an app's setting; the CLI's own KEYWARD_URL is the admin http(s) URL), else the app's .env
 * KEYWARD_URL, else 127.0.0.1:50051.
 */
function grpcUrl(target: AppTarget, flags: AppClientFlags, env: NodeJS.ProcessEnv): string | undefined {
  const appStyle = (url: string | undefined) => (url && !/^https?:\/\//i.test(url) ? url : undefined);
  return flags.serviceUrl ?? env.KEYWARD_SERVICE_URL ?? appStyle(env.KEYWARD_URL) ?? appStyle(target.dotenv.KEYWARD_URL);
}

/**
 * The app's token file: --token-file, else KEYWARD_TOKEN_FILE, else the app's .env (relative to the
 * app), else .keyward/service-token in the app; undefined when KEYWARD_TOKEN holds the token itself.
 */
function tokenFile(target: AppTarget, flags: AppClientFlags, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (flags.tokenFile !== undefined) return path.resolve(cwd, flags.tokenFile);
  if (env.KEYWARD_TOKEN) return undefined;
  if (env.KEYWARD_TOKEN_FILE) return path.resolve(cwd, env.KEYWARD_TOKEN_FILE);
  return path.resolve(target.dir, target.dotenv.KEYWARD_TOKEN_FILE ?? DEFAULT_TOKEN_FILE);
}

/** The app's own secrets client (its service token, created 0600 on first use), with no cache: run always injects fresh values. */
export function appClient(target: AppTarget, flags: AppClientFlags, env: NodeJS.ProcessEnv, cwd: string, extra: { watch?: boolean; onChange?: (name: string) => void; onResubscribed?: () => void } = {}): { client: SecretsClient<SecretsSchemaDoc>; service: string; url: string } {
  const service = serviceNameFor(target, flags.service, env);
  const environment = environmentFor(target, flags.environment, env);
  const url = grpcUrl(target, flags, env);
  const file = tokenFile(target, flags, env, cwd);
  try {
    const client = createSecretsClient(target.schema as SecretsSchemaDoc, {
      mode: "keyward",
      ...(url !== undefined ? { url } : {}),
      ...(file !== undefined ? { tokenFile: file } : {}),
      serviceName: service,
      ...(environment !== undefined ? { environment } : {}),
      cache: false,
      retry: { maxAttempts: 2 },
      // The client's own sleep does not keep a process alive; run has nothing else to wait on
      // between retries, so Node would exit 0 mid-backoff.
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      env,
      ...extra,
    });
    return { client, service, url: url ?? "127.0.0.1:50051" };
  } catch (error) {
    if (error instanceof SecretsConfigError) {
      // Name the flag or variable the user set, not the client option it became.
      const message = error.message
        .replace(/options\.url/g, flags.serviceUrl !== undefined ? "--service-url" : "the gRPC address (KEYWARD_SERVICE_URL)")
        .replace(/options\.tokenFile/g, flags.tokenFile !== undefined ? "--token-file" : "the token file")
        .replace(/options\.serviceName/g, flags.service !== undefined ? "--service" : "the service name")
        .replace(/options\.environment/g, flags.environment !== undefined ? "--environment" : "the environment");
      throw new CliError(message, EXIT.usage);
    }
    throw error;
  }
}
