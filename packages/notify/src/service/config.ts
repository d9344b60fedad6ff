import { configError } from "@keyward/common";

/** Notification settings from the environment (read here, so the service only starts them). */
export interface NotifyConfig {
  /** Where the console is, for the links in messages: KEYWARD_PUBLIC_URL, else the admin URL. */
  consoleBaseUrl: string;
  /** KEYWARD_ROTATION_CHECK_AT, "HH:MM" UTC; default "06:00". */
  rotationCheckAtUtc: string;
  /** KEYWARD_REMINDER_COOLDOWN_DAYS; default 7. */
  reminderCooldownDays: number;
  /** KEYWARD_NOTIFY_POLL_MS: how often the outbox and deliveries are looked at; default 5000. */
  pollMs: number;
  /** KEYWARD_JOB_LEASE_MS: a dead replica's jobs are taken over within this plus pollMs; default 30000. */
  leaseMs: number;
  /** KEYWARD_DELIVERY_MAX_ATTEMPTS; default 8. */
  maxAttempts: number;
  /** KEYWARD_NOTIFY_RETENTION_DAYS: finished deliveries and dispatched events are kept this long; default 30. */
  retentionDays: number;
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw configError(name, `${name} must be an integer of at least ${min}, got "${raw}"`);
  return Number(raw);
}

export function notifyConfigFromEnv(env: Record<string, string | undefined>, adminUrl: string): NotifyConfig {
  const publicUrl = env.KEYWARD_PUBLIC_URL?.trim();
  if (publicUrl) {
    // The URL goes into every notification's links: it is checked without being echoed, and may not carry credentials.
    const url = URL.canParse(publicUrl) ? new URL(publicUrl) : undefined;
    if (!url || !/^https?:$/.test(url.protocol)) throw configError("KEYWARD_PUBLIC_URL", "KEYWARD_PUBLIC_URL must be an http(s) URL such as https://keyward.example.com (the value is not shown)");
    if (url.username || url.password) throw configError("KEYWARD_PUBLIC_URL", "KEYWARD_PUBLIC_URL must not carry a user name or password: it is put into the links of every notification");
  }
  const at = env.KEYWARD_ROTATION_CHECK_AT?.trim() || "06:00";
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw configError("KEYWARD_ROTATION_CHECK_AT", `KEYWARD_ROTATION_CHECK_AT must be "HH:MM" (UTC, 24 h), got "${at}"`);
  return {
    consoleBaseUrl: publicUrl || adminUrl,
    rotationCheckAtUtc: at,
    reminderCooldownDays: int(env, "KEYWARD_REMINDER_COOLDOWN_DAYS", 7, 0),
    pollMs: int(env, "KEYWARD_NOTIFY_POLL_MS", 5_000, 10),
    leaseMs: int(env, "KEYWARD_JOB_LEASE_MS", 30_000, 1_000),
    maxAttempts: int(env, "KEYWARD_DELIVERY_MAX_ATTEMPTS", 8, 1),
    retentionDays: int(env, "KEYWARD_NOTIFY_RETENTION_DAYS", 30, 1),
  };
}
