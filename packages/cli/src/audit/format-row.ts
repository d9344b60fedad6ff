import type { AuditEntry } from "@keyward/spec";
import type { Colour } from "../output/format.js";

/**
 * Who acted, as `--actor` takes it back: the actor id when it already names its type
 * ("admin:<key id>", "oidc:<subject>"), else type and id ("service:billing#<token id>", "system:keyward").
 */
export function actorOfRow(row: Pick<AuditEntry, "actorType" | "actorId">): string {
  return row.actorId.startsWith(`${row.actorType}:`) ? row.actorId : `${row.actorType}:${row.actorId}`;
}

/** One audit row as a line for people: seq, time, who, what, on what, result, environment, why. Rows never hold a value. */
export function formatAuditRow(row: AuditEntry, paint: (colour: Colour, text: string) => string): string {
  const result = row.result === "ok" ? paint("green", row.result) : paint("red", row.result);
  const parts = [paint("dim", String(row.seq).padStart(6)), row.at, actorOfRow(row), paint("bold", row.action), row.target, result];
  if (row.environment) parts.push(`[${row.environment}]`);
  if (row.count !== null && row.count > 1) parts.push(`×${row.count}`);
  if (row.reason) parts.push(paint("dim", `(${row.reason})`));
  return parts.join("  ");
}
