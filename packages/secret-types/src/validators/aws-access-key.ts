import { accept, refuse } from "../result.js";
import { parseAwsAccessKey } from "../shapes/aws-access-key.js";
import type { SecretTypeDefinition } from "../types.js";

// The shape (JSON, its aliases, region) is parseAwsAccessKey's, which the connection test reads too.
// AKIA: a long-term key; ASIA: temporary (needs the session token).
export const awsAccessKey: SecretTypeDefinition = {
  name: "aws-access-key",
  describe: 'AWS credentials as JSON: {"accessKeyId": "AKIA…", "secretAccessKey": "…"} (+ "sessionToken" for ASIA…, optional "region")',
  validate(value) {
    const parsed = parseAwsAccessKey(value);
    if (!parsed.ok) return parsed;
    const { accessKeyId: id, secretAccessKey: secret, sessionToken } = parsed.value;
    if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(id)) return refuse("accessKeyId must be AKIA or ASIA followed by 16 characters A-Z, 2-7");
    if (!/^[A-Za-z0-9/+=]{40}$/.test(secret)) return refuse("secretAccessKey must be 40 characters A-Z, a-z, 0-9, /, +, =");
    const temporary = id.startsWith("ASIA");
    if (temporary && !sessionToken) return refuse("sessionToken is required with a temporary (ASIA…) access key id");
    // The id's prefix only: enough to tell the kind of key, not to look it up.
    return accept({ accessKeyIdPrefix: id.slice(0, 4), temporary });
  },
};
