import { unwrap } from "@keyward/admin-client";
import { UsageError } from "@keyward/common";
import type { Session } from "../admin/session.js";

const SECRET_GLOB = /^[A-Z0-9_*?]+$/;

/** The secret names or globs of `--grant A,B_*`, checked before anything is decided. */
export function parseGrants(value: string | undefined, service: string | undefined): string[] {
  if (value === undefined) return [];
  if (service === undefined) throw new UsageError("--grant goes with --service NAME: it grants that service the named secrets");
  const names = value.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) throw new UsageError("--grant needs one or more secret names, e.g. --grant STRIPE_API_KEY,SMTP_PASSWORD");
  const bad = names.filter((n) => !SECRET_GLOB.test(n));
  if (bad.length > 0) throw new UsageError(`--grant: "${bad[0]}" is not a secret name or glob (A-Z, 0-9, _, * and ?)`);
  return names;
}

export interface GrantOutcome {
  environment: string;
  secret: string;
  outcome: "created" | "exists";
  ruleId: string;
}

/**
 * Grants `service` each named secret in `environment` ahead of its request, as an access.grant
 * approval rule (audited on the server as the admin; it fires when the service asks, in the same
 * transaction). A rule that already says exactly this is reused, so running it twice changes nothing.
 * A protected environment refuses approving rules: the server's problem says so.
 */
export async function grantAhead(session: Session, environment: string, service: string, secrets: string[]): Promise<GrantOutcome[]> {
  const path = { name: environment };
  const { items } = await unwrap(session.admin.GET("/api/environments/{name}/rules", { params: { path } }));
  const outcomes: GrantOutcome[] = [];
  for (const secret of secrets) {
    const existing = items.find((r) => r.kind === "access.grant" && r.servicePattern === service && r.secretPattern === secret);
    if (existing) {
      outcomes.push({ environment, secret, outcome: "exists", ruleId: existing.id });
      continue;
    }
    const rule = await unwrap(session.admin.POST("/api/environments/{name}/rules", { params: { path }, body: { kind: "access.grant", servicePattern: service, secretPattern: secret } }));
    outcomes.push({ environment, secret, outcome: "created", ruleId: rule.id });
  }
  return outcomes;
}
