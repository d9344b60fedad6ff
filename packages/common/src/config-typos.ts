import { serviceEnvSchema } from "./config.js";
import { closestName } from "./edit-distance.js";

/**
 * KEYWARD_ variables read outside serviceEnvSchema (the typed client, the CLI, external master keys,
 * notifications, audit archives, tests): never reported as typos.
 */
const READ_ELSEWHERE = new Set(
  (
    "ADMIN_TOKEN ADMIN_URL AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE AUDIT_CHECKPOINT_SINK_TOKEN AUDIT_KEY AUDIT_SIGNING_KEY AWS_KMS_ENDPOINT " +
    "AWS_KMS_KEY_ID AWS_KMS_REGION AZURE_DISABLE_CHALLENGE_VERIFICATION AZURE_KEY_ID CLIENT_MARK CONFIG_DIR DELIVERY_MAX_ATTEMPTS " +
    "ENVIRONMENT JOB_LEASE_MS MASTER_KEY MASTER_KEY_SOURCE MASTER_PASSPHRASE MODE NOTIFY_POLL_MS NOTIFY_RETENTION_DAYS " +
    "PASSPHRASE_SCRYPT_N PROFILE PUBLIC_URL REMINDER_COOLDOWN_DAYS ROTATION_CHECK_AT SECRET_TYPES SERVICE_NAME SERVICE_URL " +
    "TEST_PG_ADMIN_URL TIMEOUT_MS TLS TLS_CA_FILE TLS_CERT_FILE TLS_KEY_FILE TLS_SERVER_NAME TOKEN TOKEN_FILE URL VAULT_ADDR " +
    "VAULT_NAMESPACE VAULT_TOKEN VAULT_TRANSIT_KEY VAULT_TRANSIT_MOUNT VERSION"
  )
    .split(" ")
    .map((n) => `KEYWARD_${n}`),
);

/**
 * Set KEYWARD_ variables that no part of Keyward reads but that are a letter or two from one the
 * service does (KEYWARD_HTTP_PROT): the service would silently run on the default instead. Start
 * warns about each, and doctor reports them.
 */
export function misspelledServiceVariables(env: NodeJS.ProcessEnv): { name: string; meant: string }[] {
  const known = Object.keys(serviceEnvSchema.properties);
  const candidates = [...known, ...READ_ELSEWHERE];
  const found: { name: string; meant: string }[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith("KEYWARD_") || known.includes(name) || READ_ELSEWHERE.has(name) || name.startsWith("KEYWARD_NEW_") || name.startsWith("KEYWARD_BENCH_")) continue;
    const meant = closestName(name, candidates, 2);
    if (meant !== undefined) found.push({ name, meant });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
