import { namingProblems } from "../naming.js";
import type { SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager";
import { ProviderError, type NamingRule } from "../types.js";

/** Settings of the AWS Secrets Manager provider. Everything is optional: the SDK's default chain fills the rest. */
export interface AwsProviderConfig {
  /** Schema name to provider path (see the README); default case "as-is". */
  naming?: NamingRule;
  /** e.g. "eu-west-1"; when absent the SDK reads AWS_REGION / the shared config. */
  region?: string;
  /** Another endpoint (a VPC endpoint, a test server), an http(s) URL. */
  endpoint?: string;
  /** Static credentials or a credential provider; when absent, the SDK's default credential chain. */
  credentials?: SecretsManagerClientConfig["credentials"];
  /** The version stage to read (default AWSCURRENT). Any other stage reads each secret with GetSecretValue. */
  versionStage?: string;
  /** A secret id that health() describes (DescribeSecret) instead of ListSecrets, for a policy without ListSecrets. */
  healthSecretId?: string;
  /** BatchGetSecretValue (20 ids a call, falls back to GetSecretValue when refused); default true. */
  batch?: boolean;
}

const regionRe = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const stageRe = /^[A-Za-z0-9_+=.@-]{1,256}$/;

/** Checks the whole config and throws one invalid_config ProviderError naming every wrong field. */
export function validateAwsConfig(config: unknown): AwsProviderConfig {
  const problems: string[] = [];
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ProviderError("invalid_config", "aws provider: the config must be an object");
  }
  const c = config as Record<string, unknown>;
  const known = new Set(["region", "endpoint", "credentials", "versionStage", "healthSecretId", "batch", "naming"]);
  for (const key of Object.keys(c)) if (!known.has(key)) problems.push(`${key}: unknown field (expected one of ${[...known].join(", ")})`);
  if (c.region !== undefined && (typeof c.region !== "string" || !regionRe.test(c.region))) {
    problems.push(`region: expected an AWS region such as "eu-west-1"`);
  }
  if (c.endpoint !== undefined) {
    let ok = false;
    if (typeof c.endpoint === "string") {
      try {
        ok = ["http:", "https:"].includes(new URL(c.endpoint).protocol);
      } catch {
        ok = false;
      }
    }
    if (!ok) problems.push("endpoint: expected an http(s) URL");
  }
  if (c.credentials !== undefined) {
    const cr = c.credentials as Record<string, unknown> | null;
    if (typeof cr === "function") {
      // a credential provider: the SDK calls it
    } else if (cr === null || typeof cr !== "object") {
      problems.push("credentials: expected { accessKeyId, secretAccessKey, sessionToken? } or a credential provider function");
    } else {
      if (typeof cr.accessKeyId !== "string" || cr.accessKeyId === "") problems.push("credentials.accessKeyId: expected a non-empty string");
      if (typeof cr.secretAccessKey !== "string" || cr.secretAccessKey === "") problems.push("credentials.secretAccessKey: expected a non-empty string");
      if (cr.sessionToken !== undefined && typeof cr.sessionToken !== "string") problems.push("credentials.sessionToken: expected a string");
    }
  }
  if (c.versionStage !== undefined && (typeof c.versionStage !== "string" || !stageRe.test(c.versionStage))) {
    problems.push("versionStage: expected a stage name such as AWSCURRENT or AWSPREVIOUS");
  }
  if (c.healthSecretId !== undefined && (typeof c.healthSecretId !== "string" || c.healthSecretId === "")) {
    problems.push("healthSecretId: expected a secret name or ARN");
  }
  if (c.batch !== undefined && typeof c.batch !== "boolean") problems.push("batch: expected true or false");
  problems.push(...namingProblems(c.naming, "naming"));
  if (problems.length > 0) {
    throw new ProviderError("invalid_config", `aws provider config is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  return c as AwsProviderConfig;
}

/** Secrets Manager names allow letters, digits and /_+=.@-: the schema name as-is by default (use a template such as "prod/billing/{name}"). */
export const awsDefaultNaming: NamingRule = { case: "as-is" };
