import { serviceEnvSchema } from "./config.js";

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

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), stopping past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

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
    let meant: string | undefined;
    let best = 3;
    for (const candidate of candidates) {
      const d = distance(name, candidate, 2);
      if (d < best) [best, meant] = [d, candidate];
    }
    if (meant !== undefined) found.push({ name, meant });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
