import { systemClientClock } from "./clock.js";
import { resolveEnvConfig, resolveProvider, resolveRemoteConfig, resolveResilience } from "./config.js";
import { createEnvClient } from "./env-client.js";
import type { SecretsClientOptions } from "./options.js";
import { createProviderClient } from "./provider-client.js";
import { createRemoteClient } from "./remote-client.js";
import { sleep } from "./sleep.js";
import type { SecretsClient, SecretsSchemaDoc } from "./types.js";

export type { ClientCertificateOptions, ClientMode, Pem, SecretsClientOptions, SecretsClientTlsOptions } from "./options.js";

/**
 * A typed client: `getSecret` accepts only names the schema declares. Bad options or KEYWARD_*
 * variables throw a SecretsConfigError here, at startup, naming the setting.
 */
export function createSecretsClient<const S extends SecretsSchemaDoc>(schema: S, options: SecretsClientOptions = {}): SecretsClient<S> {
  const env = options.env ?? process.env;
  const provider = resolveProvider(options, env);
  if (provider === "env") return createEnvClient(schema, resolveEnvConfig(options), env);
  const timing = { clock: options.clock ?? systemClientClock, random: options.random ?? Math.random, sleep: options.sleep ?? sleep };
  if (provider !== "keyward") return createProviderClient(schema, provider, resolveResilience(options), timing);
  return createRemoteClient(schema, resolveRemoteConfig(options, env), {
    ...timing,
    registerOnStart: options.registerOnStart ?? false,
    ...(options.onChange ? { onChange: options.onChange } : {}),
    ...(options.onResubscribed ? { onResubscribed: options.onResubscribed } : {}),
  });
}
