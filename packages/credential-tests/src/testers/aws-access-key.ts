import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { parseAwsAccessKey } from "@keyward/secret-types";
import { safeCode } from "../http-answer.js";
import { connected, failed } from "../result.js";
import type { Tester } from "../tester.js";

/** STS statuses that mean the key pair was refused (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken). */
const REFUSED_STATUSES = new Set([400, 401, 403]);

/**
 * aws-access-key: the value as the type reads it (parseAwsAccessKey: JSON `{ accessKeyId, secretAccessKey,
 * sessionToken?, region? }` or its STS and credentials-file spellings) → STS GetCallerIdentity, which any valid
 * key may call (no IAM permission needed), signed with SigV4 by the AWS SDK. One attempt, no retries.
 */
export const awsAccessKeyTester: Tester = {
  label: "AWS STS",
  async run(value, { options, signal, timeoutMs }) {
    const parsed = parseAwsAccessKey(value);
    if (!parsed.ok) return failed("invalid", `AWS access key: ${parsed.problem}`);
    const { accessKeyId, secretAccessKey, sessionToken, region: valueRegion } = parsed.value;
    // The value's region passed the parser; this checks the deployment's awsRegion option.
    const region = valueRegion ?? options.awsRegion ?? "us-east-1";
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return failed("invalid", "awsRegion is not an AWS region name");
    const endpoint = options.baseUrls?.["aws-sts"]?.replace(/\/+$/, "");
    const client = new STSClient({
      region,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      maxAttempts: 1,
      requestHandler: { connectionTimeout: timeoutMs + 1_000, requestTimeout: timeoutMs + 1_000 },
      ...(endpoint ? { endpoint } : {}),
    });
    try {
      await client.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      return connected();
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (typeof status !== "number") throw error;
      const name = safeCode((error as { name?: unknown }).name);
      const text = `AWS STS answered ${status}${name ? `: ${name}` : ""}`;
      return failed(REFUSED_STATUSES.has(status) ? "unauthorized" : "unexpected", text);
    } finally {
      client.destroy();
    }
  },
};
