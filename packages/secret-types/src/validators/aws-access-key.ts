import { accept, refuse } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

// JSON as the AWS SDKs name credentials (accessKeyId, secretAccessKey, optional sessionToken), or
// as STS returns them (AccessKeyId, …). AKIA: a long-term key; ASIA: temporary (needs the session token).
export const awsAccessKey: SecretTypeDefinition = {
  name: "aws-access-key",
  describe: 'AWS credentials as JSON: {"accessKeyId": "AKIA…", "secretAccessKey": "…"} (+ "sessionToken" for ASIA…)',
  validate(value) {
    const json = jsonObject(value, '{"accessKeyId", "secretAccessKey"}');
    if ("refusal" in json) return json.refusal;
    const id = field(json.object, "accessKeyId", "AccessKeyId", "aws_access_key_id");
    const secret = field(json.object, "secretAccessKey", "SecretAccessKey", "aws_secret_access_key");
    const session = field(json.object, "sessionToken", "SessionToken", "aws_session_token");
    if (!id) return refuse("accessKeyId is missing");
    if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(id)) return refuse("accessKeyId must be AKIA or ASIA followed by 16 characters A-Z, 2-7");
    if (!secret) return refuse("secretAccessKey is missing");
    if (!/^[A-Za-z0-9/+=]{40}$/.test(secret)) return refuse("secretAccessKey must be 40 characters A-Z, a-z, 0-9, /, +, =");
    const temporary = id.startsWith("ASIA");
    if (temporary && !session) return refuse("sessionToken is required with a temporary (ASIA…) access key id");
    // The id's prefix only: enough to tell the kind of key, not to look it up.
    return accept({ accessKeyIdPrefix: id.slice(0, 4), temporary });
  },
};
