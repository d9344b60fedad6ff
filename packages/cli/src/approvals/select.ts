import { UsageError } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";
import type { PendingItem, PendingKind } from "./pending.js";

export interface Selection {
  ids: string[];
  service: string | undefined;
  secret: string | undefined;
  kind: PendingKind | undefined;
}

/** A shell-style glob (`*` any run, `?` one character) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/**
 * The pending items a non-interactive approve/deny acts on: by id (every id must be pending), or
 * by --service with optional --secret glob and --kind. A selection that names nothing is a usage error.
 */
export function selectPending(items: PendingItem[], selection: Selection, where: string): PendingItem[] {
  const { ids, service, secret, kind } = selection;
  if (ids.length > 0 && service !== undefined) throw new UsageError("give either ids or --service, not both");
  if (ids.length === 0 && service === undefined) throw new UsageError("name what to decide: one or more ids, or --service NAME (see keyward approvals list)");
  if (secret !== undefined && kind === "token") throw new UsageError("--secret picks access requests; it cannot be used with --kind token");
  if (ids.length > 0) {
    const missing = ids.filter((id) => !items.some((item) => item.id === id));
    if (missing.length > 0) throw new CliError(`nothing pending with id ${missing.join(", ")} in ${where}; see keyward approvals list (or --all-environments)`, EXIT.failed);
    return ids.map((id) => items.find((item) => item.id === id)!);
  }
  const secretPattern = secret === undefined ? undefined : globToRegExp(secret);
  const picked = items.filter((item) => {
    if (kind !== undefined && item.kind !== kind) return false;
    if (secretPattern && (item.kind !== "access" || !secretPattern.test(item.request.secretName))) return false;
    return (item.kind === "token" ? item.token.serviceName : item.request.serviceName) === service;
  });
  if (picked.length === 0) {
    const what = [kind === "token" ? "tokens" : kind === "access" ? "access requests" : "tokens or access requests", `of service ${service}`, secret !== undefined ? `for secrets matching ${secret}` : ""].filter(Boolean).join(" ");
    throw new CliError(`no pending ${what} in ${where}; see keyward approvals list`, EXIT.failed);
  }
  return picked;
}
