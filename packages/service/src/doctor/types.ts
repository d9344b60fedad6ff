/** One line of the doctor's report. `fix` says what to do; it is set for every warn and fail. */
export interface DoctorCheck {
  name: "config" | "data directory" | "database" | "master key" | "audit key" | "audit checkpoints" | "audit retention";
  status: "ok" | "warn" | "fail" | "skipped";
  summary: string;
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** True when any check failed: the service would not start, or would start wrong. */
  failed: boolean;
}

/** What the database holds that the key checks need to know; absent when it could not be read. */
export interface DatabaseFacts {
  /** No Keyward tables yet: start will create them. */
  empty: boolean;
  /** Encrypted values per master key id. */
  valuesByKeyId: Map<string, number>;
  auditRows: number;
  /** audit_log's partitions (migration 0570), when the database has them: how far ahead they go, and the hot ones past the window. */
  auditPartitions?: { newestEnd: Date; hot: { name: string; endsAt: Date }[]; archived: number };
  /** The master key's check value and, for a passphrase, its KDF params (master_key_settings). */
  master?: { fingerprint: string; kdf: string | null };
  /** The active KEK version as stored: wrapped by the master key (never unwrapped here, except by an external key's check). */
  activeKek?: { id: string; wrapped: Buffer; wrappedBy: string };
}
