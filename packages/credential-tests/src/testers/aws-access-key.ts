import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { jsonFields } from "../json-value.js";
import { safeCode } from "../http-answer.js";
import { connected, failed } from "../result.js";
import type { Tester } from "../tester.js";

/** STS statuses that mean the key pair was refused (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken). */
const REFUSED_STATUSES = new Set([400, 401, 403]);

/**
 * aws-access-key: JSON `{ accessKeyId, secretAccessKey, sessionToken?, region? }` → STS GetCallerIdentity, which
 * any valid key may call (no IAM permission needed), signed with SigV4 by the AWS SDK. One attempt, no retries.
 */
export const awsAccessKeyTester: Tester = {
  label: "AWS STS",
  async run(value, { options, signal, timeoutMs }) {
    const parsed = jsonFields(value, "AWS access key", ["accessKeyId", "secretAccessKey"] as const, ["sessionToken", "region"] as const);
    if (!parsed.ok) return parsed.result;
    const { accessKeyId, secretAccessKey, sessionToken, region: valueRegion } = parsed.value;
    const region = valueRegion ?? options.awsRegion ?? "us-east-1";
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return failed("invalid", "AWS access key: region is not an AWS region name");
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
