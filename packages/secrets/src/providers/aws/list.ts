import type { ListSecretsCommandOutput } from "@aws-sdk/client-secrets-manager";
import { awsClient, awsSdk } from "./client.js";
import { readListed } from "../read-listed.js";
import { ProviderError } from "../types.js";
import { validateAwsConfig, type AwsProviderConfig } from "./config.js";
import { toProviderError } from "./errors.js";
import { createAwsProvider } from "./provider.js";

/** One secret found by readAwsSecrets: its Secrets Manager name and its current value (SecretString, or SecretBinary as base64). */
export interface AwsListedSecret {
  name: string;
  value: string;
}

export interface ReadAwsSecretsOptions {
  /** Only secrets whose name starts with this (ListSecrets' name filter, checked again here case-sensitively). */
  prefix?: string;
  signal: AbortSignal;
  /** ListSecrets MaxResults per page (1–100, default 100). */
  pageSize?: number;
}

/**
 * Every secret (AWSCURRENT) in Secrets Manager whose name starts with `prefix`, in listing order,
 * for `keyward import --from aws`: ListSecrets page by page (NextToken), then the values with
 * BatchGetSecretValue (20 a call, GetSecretValue where refused) through the provider. A secret
 * deleted between the listing and the read is left out; one the policy refuses fails the whole
 * read (a ProviderError permission_denied naming it, never a value or a credential).
 */
export async function readAwsSecrets(input: AwsProviderConfig, options: ReadAwsSecretsOptions): Promise<AwsListedSecret[]> {
  const config = validateAwsConfig(input);
  const { signal, prefix = "" } = options;
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new ProviderError("invalid_config", "aws provider: pageSize must be an integer from 1 to 100");
  const { ListSecretsCommand } = awsSdk();
  const client = awsClient(config);
  const provider = createAwsProvider({ ...config, versionStage: "AWSCURRENT" });
  try {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      let page: ListSecretsCommandOutput;
      try {
        page = await client.send(
          new ListSecretsCommand({
            MaxResults: pageSize,
            ...(prefix === "" ? {} : { Filters: [{ Key: "name", Values: [prefix] }] }),
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw toProviderError("ListSecrets", error);
      }
      for (const s of page.SecretList ?? []) if (s.Name !== undefined && s.Name.startsWith(prefix) && s.DeletedDate === undefined) names.push(s.Name);
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return await readListed(provider, names, signal);
  } finally {
    client.destroy();
    await provider.close();
  }
}
