import type { OverviewCounts, WaitingCount } from "@keyward/sdk";
import type { PageId } from "./router.js";

/** How a count reads: "–" when unknown, "100+" beyond one page. */
export function countText(count: WaitingCount): string {
  if (count.count === null) return "–";
  return count.more ? `${count.count}+` : String(count.count);
}

function sum(...counts: WaitingCount[]): WaitingCount {
  return { count: counts.every((c) => c.count === null) ? null : counts.reduce((n, c) => n + (c.count ?? 0), 0), more: counts.some((c) => c.more), failed: counts.every((c) => c.failed) };
}

/** The badge of a page in the navigation: the same counts as the overview, on the page that acts on them. */
export function pageBadge(id: PageId, counts: OverviewCounts): { count: WaitingCount; tone: "pending" | "warning" | "danger" } | null {
  const badge = (count: WaitingCount, tone: "pending" | "warning" | "danger") => (count.count ? { count, tone } : null);
  if (id === "approvals") return badge(sum(counts.pendingTokens, counts.pendingRequests), "pending");
  if (id === "change-requests") return badge(counts.pendingChanges, "pending");
  if (id === "missing") return badge(counts.stubs, "pending");
  if (id === "secrets") return badge(sum(counts.rotationDue, counts.rotationOverdue), counts.rotationOverdue.count ? "danger" : "warning");
  return null;
}
