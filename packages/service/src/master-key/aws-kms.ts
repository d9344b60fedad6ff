import { externalMasterKey, type ExternalMasterKeySettings, KeywardError, type MasterKeySource, externalFailure } from "@keyward/common";
import { loadSdk } from "./load-sdk.js";

type KmsSettings = Extract<ExternalMasterKeySettings, { kind: "aws-kms" }>;

/**
 * AWS KMS through @aws-sdk/client-kms (optional, loaded only here): Encrypt/Decrypt with an
 * encryption context naming the KEK, so a wrapped KEK opens only for its own id. The key is
 * described once at open: its ARN is the identity (an alias and the ARN give one fingerprint), and
 * it must be an enabled symmetric ENCRYPT_DECRYPT key. Credentials: AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) from the given environment, else the default chain.
 */
export async function awsKmsMasterKey(settings: KmsSettings, env: NodeJS.ProcessEnv, timeouts: { connectMs?: number; requestMs?: number } = {}): Promise<MasterKeySource> {
  const kms = await loadSdk("@aws-sdk/client-kms", "aws-kms", () => import("@aws-sdk/client-kms"));
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const client = new kms.KMSClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN?.trim() ? { sessionToken: env.AWS_SESSION_TOKEN.trim() } : {}) } } : {}),
    maxAttempts: 2,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and an
    // endpoint that accepts and never answers holds start (or a rotation) for the 5-minute idle timeout.
    requestHandler: { connectionTimeout: timeouts.connectMs ?? 5_000, requestTimeout: timeouts.requestMs ?? 10_000, throwOnRequestTimeout: true },
  });
  let arn: string;
  try {
    const described = await client.send(new kms.DescribeKeyCommand({ KeyId: settings.keyId }));
    const meta = described.KeyMetadata;
    if (!meta?.Arn) throw new KeywardError("config", "DescribeKey answered without the key's ARN");
    if (meta.KeyState !== "Enabled") throw new KeywardError("config", `the key is ${meta.KeyState ?? "not enabled"}; enable it in KMS`);
    if (meta.KeyUsage && meta.KeyUsage !== "ENCRYPT_DECRYPT") throw new KeywardError("config", `the key's usage is ${meta.KeyUsage}; use a symmetric ENCRYPT_DECRYPT key`);
    arn = meta.Arn;
  } catch (error) {
    throw new KeywardError("config", `the master key (aws-kms key ${settings.keyId} in ${settings.region}${settings.endpoint ? ` via ${settings.endpoint}` : ""}) cannot be used: ${externalFailure(error)}`, {
      field: "KEYWARD_AWS_KMS_KEY_ID",
      reason: "master_key_unavailable",
    });
  }
  return externalMasterKey({
    kind: "aws-kms",
    identity: arn,
    ...(settings.endpoint ? { where: settings.endpoint } : {}),
    async encrypt(plaintext, context) {
      const out = await client.send(new kms.EncryptCommand({ KeyId: arn, Plaintext: plaintext, EncryptionContext: context }));
      if (!out.CiphertextBlob) throw new KeywardError("config", "Encrypt answered without a ciphertext");
      return Buffer.from(out.CiphertextBlob);
    },
    async decrypt(ciphertext, context) {
      const out = await client.send(new kms.DecryptCommand({ KeyId: arn, CiphertextBlob: ciphertext, EncryptionContext: context }));
      if (!out.Plaintext) throw new KeywardError("config", "Decrypt answered without a plaintext");
      return Buffer.from(out.Plaintext);
    },
  });
}
