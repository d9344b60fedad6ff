import { malformed, parsed } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { ShapeResult } from "../types.js";

/** AWS credentials as the validator and the connection test both read them. */
export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The region to sign for; absent when the value names none. */
  region?: string;
}

/** A region name as AWS spells them: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * JSON as the AWS SDKs name credentials (accessKeyId, …), as STS returns them (AccessKeyId, …) or as the
 * credentials file does (aws_access_key_id, …), with an optional `region`. Reads the shape only: the
 * validator adds the AKIA/ASIA and 40-character rules.
 */
export function parseAwsAccessKey(value: string): ShapeResult<AwsAccessKey> {
  const json = jsonObject(value, '{"accessKeyId", "secretAccessKey"}');
  if (!json.ok) return json;
  const o = json.value;
  const accessKeyId = field(o, "accessKeyId", "AccessKeyId", "aws_access_key_id");
  const secretAccessKey = field(o, "secretAccessKey", "SecretAccessKey", "aws_secret_access_key");
  const sessionToken = field(o, "sessionToken", "SessionToken", "aws_session_token");
  if (!accessKeyId) return malformed("accessKeyId is missing");
  if (!secretAccessKey) return malformed("secretAccessKey is missing");
  // A region the value names is where the connection test signs for, so a wrong one is refused here, not at STS.
  if (o.region !== undefined && !(typeof o.region === "string" && REGION.test(o.region))) return malformed("region must be an AWS region name (e.g. eu-west-1)");
  const region = o.region as string | undefined;
  return parsed({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(region ? { region } : {}) });
}
