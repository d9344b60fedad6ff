import { describe, expect, it } from "vitest";
import type { AuditEntry } from "@keyward/spec";
import { formatAuditRow } from "../src/audit/format-row.js";

const row = (actorType: string, actorId: string) =>
  ({ seq: 7, at: "2026-01-01T00:00:00.000Z", actorType, actorId, action: "secrets.set", target: "secret:K", result: "ok", environment: null, count: null, reason: null }) as unknown as AuditEntry;
const plain = (_colour: string, text: string) => text;

describe("audit tail rows", () => {
  it("show the actor once: an actor id that names its type is not prefixed again", () => {
    expect(formatAuditRow(row("admin", "admin:84b0f2ce"), plain)).toContain("  admin:84b0f2ce  secrets.set  ");
    expect(formatAuditRow(row("admin", "admin:84b0f2ce"), plain)).not.toContain("admin:admin:");
    expect(formatAuditRow(row("oidc", "oidc:alice"), plain)).not.toContain("oidc:oidc:");
    expect(formatAuditRow(row("service", "billing#3f0c"), plain)).toContain("  service:billing#3f0c  ");
    expect(formatAuditRow(row("system", "keyward"), plain)).toContain("  system:keyward  ");
  });
});
