import { rotationOf, type SecretWithRotation } from "@keyward/db";

const DAY_MS = 86_400_000;

/**
 * A secret's reminder state with its certificate's expiry folded in (issue #17): a current version
 * whose derived metadata has a `notAfter` (a pem-certificate) is due once notAfter is within the
 * reminder window and overdue once it has passed, whichever of that and the rotation policy is sooner.
 */
export function reminderStateOf(row: SecretWithRotation, now: Date): { state: "ok" | "due_soon" | "overdue" | "no_value"; daysLeft: number | null } {
  const rotation = rotationOf(row, now);
  const notAfter = notAfterOf(row.metadata_json);
  if (notAfter === undefined || rotation.state === "no_value") return { state: rotation.state, daysLeft: rotation.daysLeft };
  const left = notAfter.getTime() - now.getTime();
  const expiry = left <= 0 ? "overdue" : left <= row.reminder_days * DAY_MS ? "due_soon" : "ok";
  const daysLeft = Math.min(rotation.daysLeft ?? Infinity, Math.trunc(left / DAY_MS) || 0);
  const rank = { ok: 0, due_soon: 1, overdue: 2 } as const;
  const state = rank[expiry] > rank[rotation.state as keyof typeof rank] ? expiry : (rotation.state as keyof typeof rank);
  return { state, daysLeft };
}

function notAfterOf(metadataJson: string | null | undefined): Date | undefined {
  if (!metadataJson) return undefined;
  try {
    const notAfter = (JSON.parse(metadataJson) as { notAfter?: unknown }).notAfter;
    const at = typeof notAfter === "string" ? new Date(notAfter) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}
