import { unwrap, type AdminClient } from "@keyward/admin-client";
import type { components } from "@keyward/spec";
import { CliError, EXIT } from "../exit-codes.js";
import type { ImportEntry } from "./entries.js";

type Secret = components["schemas"]["Secret"];

/**
 * What import does with one name: create (new secret, then its value), set (a stub gets its first
 * value), overwrite (--overwrite replaces a value), skip-existing (has a value; no --overwrite),
 * skip-empty (the file's value is empty), skip-disabled (a disabled secret refuses writes),
 * skip-held (a change request already holds a value for it, waiting for approval).
 */
export type ImportAction = "create" | "set" | "overwrite" | "skip-existing" | "skip-empty" | "skip-disabled" | "skip-held";

/** One planned step; holds no value, so a plan may be printed or returned as JSON. */
export interface PlannedImport {
  name: string;
  action: ImportAction;
  /** The version the write expects (check-and-set), for set and overwrite. */
  expectedVersion?: number;
}

export const writes = (action: ImportAction) => action === "create" || action === "set" || action === "overwrite";

/** Every secret of an environment (all pages). */
export async function listSecrets(admin: AdminClient, environment: string): Promise<Map<string, Secret>> {
  const all = new Map<string, Secret>();
  let cursor: string | undefined;
  do {
    const page = await unwrap(admin.GET("/api/secrets", { params: { query: { limit: 500, environment, ...(cursor ? { cursor } : {}) } } }));
    for (const s of page.items) all.set(s.name, s);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** The environment a write goes to: the one named (checked by the service), else the service's default. */
export async function targetEnvironment(admin: AdminClient, environment: string | undefined): Promise<string> {
  if (environment !== undefined) return environment;
  const { items } = await unwrap(admin.GET("/api/environments"));
  const fallback = items.find((e) => e.default);
  if (!fallback) throw new CliError("the service reports no default environment; pass --environment", EXIT.failed);
  return fallback.name;
}

/** Names with a pending set-value change request in `environment` (a held write from an earlier run). */
export async function heldNames(admin: AdminClient, environment: string): Promise<Set<string>> {
  const held = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await unwrap(admin.GET("/api/change-requests", { params: { query: { status: "pending", environment, limit: 500, ...(cursor ? { cursor } : {}) } } }));
    for (const c of page.items) if (c.kind === "secret.set_value" && c.environment === environment && c.target.startsWith("secret:")) held.add(c.target.slice("secret:".length));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return held;
}

/** The plan: one step per entry, in file order. */
export function planImport(entries: ImportEntry[], existing: Map<string, Secret>, held: Set<string>, overwrite: boolean): PlannedImport[] {
  return entries.map(({ name, value }): PlannedImport => {
    if (value === "") return { name, action: "skip-empty" };
    if (held.has(name)) return { name, action: "skip-held" };
    const secret = existing.get(name);
    if (!secret) return { name, action: "create" };
    if (secret.status === "disabled") return { name, action: "skip-disabled" };
    if (secret.status === "stub" || secret.currentVersion === 0) return { name, action: "set", expectedVersion: secret.currentVersion };
    return overwrite ? { name, action: "overwrite", expectedVersion: secret.currentVersion } : { name, action: "skip-existing" };
  });
}
