import type { GetSecretValueCommandOutput } from "@aws-sdk/client-secrets-manager";
import { awsClient, awsSdk } from "./client.js";
import { ProviderError, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type SecretProvider } from "../types.js";
import { validateAwsConfig, type AwsProviderConfig, awsDefaultNaming } from "./config.js";
import { awsErrorCode, toProviderError } from "./errors.js";
import { parseAwsPath } from "./paths.js";

/** BatchGetSecretValue takes at most 20 ids a call. */
export const AWS_BATCH_SIZE = 20;

/** What Secrets Manager answered for one secret id, before the JSON key is picked. */
type RawResult = { kind: "ok"; text: string; version?: string } | { kind: "missing" } | { kind: "denied"; message: string };

const missingCodes = new Set(["ResourceNotFoundException"]);
const deniedCodes = new Set(["AccessDeniedException", "DecryptionFailure"]);

/**
 * A SecretProvider over AWS Secrets Manager. Config is validated here (a ProviderError
 * invalid_config names every wrong field); the SDK does not retry, the typed client does.
 */
export function createAwsProvider(input: AwsProviderConfig): SecretProvider {
  const config = validateAwsConfig(input);
  const { BatchGetSecretValueCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand } = awsSdk();
  const stage = config.versionStage ?? "AWSCURRENT";
  let useBatch = (config.batch ?? true) && stage === "AWSCURRENT";
  const client = awsClient(config);
  let closed = false;

  const send = async <T>(operation: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> => {
    if (closed) throw toProviderError(operation, new Error("closed"));
    try {
      return await run();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toProviderError(operation, error);
    }
  };

  const textOf = (out: { SecretString?: string; SecretBinary?: Uint8Array }): string =>
    out.SecretString ?? (out.SecretBinary === undefined ? "" : Buffer.from(out.SecretBinary).toString("base64"));

  /** One secret via GetSecretValue: missing / denied for that id, a ProviderError for the whole call. */
  const getOne = async (secretId: string, signal: AbortSignal): Promise<RawResult> => {
    let out: GetSecretValueCommandOutput;
    try {
      out = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }), { abortSignal: signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const code = awsErrorCode(error);
      if (code !== undefined && missingCodes.has(code)) return { kind: "missing" };
      // A secret scheduled for deletion answers InvalidRequestException: it is gone for the app.
      if (code === "InvalidRequestException") return { kind: "missing" };
      if (code !== undefined && deniedCodes.has(code)) return { kind: "denied", message: `AWS Secrets Manager refused ${secretId} (${code})` };
      throw toProviderError("GetSecretValue", error);
    }
    return { kind: "ok", text: textOf(out), ...(out.VersionId === undefined ? {} : { version: out.VersionId }) };
  };

  /** Up to 20 ids a call, following NextToken; ids the batch could not answer are read one by one. */
  const getBatch = async (ids: string[], signal: AbortSignal, results: Map<string, RawResult>): Promise<string[]> => {
    const retryOneByOne: string[] = [];
    for (let i = 0; i < ids.length; i += AWS_BATCH_SIZE) {
      const chunk = ids.slice(i, i + AWS_BATCH_SIZE);
      let nextToken: string | undefined;
      do {
        const out = await send("BatchGetSecretValue", signal, () =>
          client.send(new BatchGetSecretValueCommand({ SecretIdList: chunk, ...(nextToken === undefined ? {} : { NextToken: nextToken }) }), { abortSignal: signal }),
        );
        for (const v of out.SecretValues ?? []) {
          // The batch answers with the secret's name and ARN; the caller may have asked for either.
          const key = [v.Name, v.ARN].find((k) => k !== undefined && chunk.includes(k));
          if (key !== undefined) results.set(key, { kind: "ok", text: textOf(v), ...(v.VersionId === undefined ? {} : { version: v.VersionId }) });
        }
        for (const err of out.Errors ?? []) {
          const id = err.SecretId;
          if (id === undefined || !chunk.includes(id)) continue;
          if (err.ErrorCode !== undefined && missingCodes.has(err.ErrorCode)) results.set(id, { kind: "missing" });
          else if (err.ErrorCode !== undefined && deniedCodes.has(err.ErrorCode)) {
            results.set(id, { kind: "denied", message: `AWS Secrets Manager refused ${id} (${err.ErrorCode})` });
          } else retryOneByOne.push(id);
        }
        nextToken = out.NextToken;
      } while (nextToken !== undefined && nextToken !== "");
      for (const id of chunk) if (!results.has(id) && !retryOneByOne.includes(id)) retryOneByOne.push(id);
    }
    return retryOneByOne;
  };

  const pick = (raw: RawResult | undefined, secretId: string, jsonKey: string | undefined): ProviderFetchResult => {
    if (raw === undefined) return { kind: "missing" };
    if (raw.kind !== "ok") return raw;
    const version = raw.version === undefined ? {} : { version: raw.version };
    if (jsonKey === undefined) return { kind: "ok", value: raw.text, ...version };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.text);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { kind: "denied", message: `AWS secret ${secretId} does not hold a JSON object, so key "${jsonKey}" cannot be read from it` };
    }
    if (!Object.hasOwn(parsed, jsonKey)) return { kind: "missing" };
    const v = (parsed as Record<string, unknown>)[jsonKey];
    if (v === null || v === undefined) return { kind: "missing" };
    return { kind: "ok", value: typeof v === "string" ? v : JSON.stringify(v), ...version };
  };

  return {
    kind: "aws",
    naming: input.naming ?? awsDefaultNaming,
    async fetch(refs: readonly ProviderSecretRef[], { signal }: { signal: AbortSignal }) {
      const parsed = refs.map((ref) => ({ ref, ...parseAwsPath(ref.path) }));
      const ids = [...new Set(parsed.map((p) => p.secretId))];
      const raw = new Map<string, RawResult>();
      let oneByOne = ids;
      if (useBatch && ids.length > 0) {
        try {
          oneByOne = await getBatch(ids, signal, raw);
        } catch (error) {
          // A policy without secretsmanager:BatchGetSecretValue (or an endpoint without the
          // operation): remember it and read one by one from now on.
          if (error instanceof ProviderError && (error.reason === "permission_denied" || error.reason === "internal")) {
            useBatch = false;
            raw.clear();
            oneByOne = ids;
          } else throw error;
        }
      }
      for (const id of oneByOne) raw.set(id, await getOne(id, signal));
      const results = new Map<string, ProviderFetchResult>();
      for (const p of parsed) results.set(p.ref.name, pick(raw.get(p.secretId), p.secretId, p.jsonKey));
      return results;
    },
    async health({ signal }: { signal: AbortSignal }): Promise<ProviderHealth> {
      try {
        if (config.healthSecretId !== undefined) {
          const id = config.healthSecretId;
          await send("DescribeSecret", signal, () => client.send(new DescribeSecretCommand({ SecretId: id }), { abortSignal: signal }));
        } else {
          await send("ListSecrets", signal, () => client.send(new ListSecretsCommand({ MaxResults: 1 }), { abortSignal: signal }));
        }
        return { status: "healthy" };
      } catch (error) {
        if (signal.aborted) throw error;
        const e = error as { reason?: string; message?: string };
        const reason = e.message ?? "AWS Secrets Manager health check failed";
        if (e.reason === "throttled") return { status: "degraded", reason };
        // Signed and known, but the policy does not grant the health call: fetches may still work.
        if (e.reason === "permission_denied") return { status: "degraded", reason: `${reason}; set healthSecretId to a secret the policy can describe` };
        return { status: "unavailable", reason };
      }
    },
    async close() {
      closed = true;
      client.destroy();
    },
  };
}
