import { describe, expect, it } from "vitest";
import { notifyConfigFromEnv } from "../src/index.js";

describe("notifyConfigFromEnv", () => {
  const admin = "https://127.0.0.1:8080";

  it("defaults, and reads each setting", () => {
    expect(notifyConfigFromEnv({}, admin)).toMatchObject({ consoleBaseUrl: admin, reminderCooldownDays: 7, pollMs: 5000, leaseMs: 30000, maxAttempts: 8, retentionDays: 30 });
    const set = notifyConfigFromEnv(
      { KEYWARD_PUBLIC_URL: "https://keyward.example.com", KEYWARD_ROTATION_CHECK_AT: "23:59", KEYWARD_REMINDER_COOLDOWN_DAYS: "0", KEYWARD_NOTIFY_POLL_MS: "10", KEYWARD_JOB_LEASE_MS: "1000", KEYWARD_DELIVERY_MAX_ATTEMPTS: "1" },
      admin,
    );
    expect(set).toMatchObject({ consoleBaseUrl: "https://keyward.example.com", reminderCooldownDays: 0, pollMs: 10, leaseMs: 1000, maxAttempts: 1 });
  });

  it("names a bad setting without echoing a URL, and refuses credentials in the public URL", () => {
    expect(() => notifyConfigFromEnv({ KEYWARD_PUBLIC_URL: "ftp://files.example.com/secret-path" }, admin)).toThrow(/KEYWARD_PUBLIC_URL must be an http\(s\) URL/);
    expect(() => notifyConfigFromEnv({ KEYWARD_PUBLIC_URL: "ftp://files.example.com/secret-path" }, admin)).not.toThrow(/secret-path/);
    expect(() => notifyConfigFromEnv({ KEYWARD_PUBLIC_URL: "https://admin:hunter2@keyward.example.com" }, admin)).toThrow(/must not carry a user name or password/);
    expect(() => notifyConfigFromEnv({ KEYWARD_PUBLIC_URL: "https://admin:hunter2@keyward.example.com" }, admin)).not.toThrow(/hunter2/);
    expect(() => notifyConfigFromEnv({ KEYWARD_ROTATION_CHECK_AT: "24:00" }, admin)).toThrow(/KEYWARD_ROTATION_CHECK_AT must be "HH:MM"/);
    expect(() => notifyConfigFromEnv({ KEYWARD_NOTIFY_POLL_MS: "5" }, admin)).toThrow(/KEYWARD_NOTIFY_POLL_MS must be an integer of at least 10/);
    expect(() => notifyConfigFromEnv({ KEYWARD_DELIVERY_MAX_ATTEMPTS: "1.5" }, admin)).toThrow(/KEYWARD_DELIVERY_MAX_ATTEMPTS/);
  });
});
