import { secretTypeName, type SecretPolicy } from "@keyward/proto";
import { parseDeclaredRules } from "@keyward/secret-types";

/** A secret's policy as a client's schema declares it; absent fields were not stated. */
export interface DeclaredPolicy {
  type?: string;
  rotationDays?: number;
  reminderDays?: number;
  /** The value rules the schema declares (whitelisted keywords), as normalised JSON. */
  rulesJson?: string;
}

/** No policy declared: one shared answer, frozen, for every name asked for without one. */
const NO_POLICY: { ok: DeclaredPolicy } = Object.freeze({ ok: Object.freeze({}) });

/**
 * Reads a request's SecretPolicy: zero and unspecified mean "not stated"; an out-of-range number
 * is bad input, named (the schema allows rotationDays 1..3650 and reminderDays 1..365). A type
 * this server does not know (a newer client's) is treated as not stated.
 */
export function declaredPolicy(policy: SecretPolicy | undefined): { ok: DeclaredPolicy } | { problem: string } {
  if (!policy) return NO_POLICY;
  const out: DeclaredPolicy = {};
  const type = secretTypeName(policy.type);
  if (type) out.type = type;
  if (policy.rotationDays !== 0) {
    if (policy.rotationDays > 3650) return { problem: `policy.rotation_days must be 1..3650, got ${policy.rotationDays}` };
    out.rotationDays = policy.rotationDays;
  }
  if (policy.reminderDays !== 0) {
    if (policy.reminderDays > 365) return { problem: `policy.reminder_days must be 1..365, got ${policy.reminderDays}` };
    out.reminderDays = policy.reminderDays;
  }
  const rules = parseDeclaredRules(policy.rulesJson ?? "");
  if ("problem" in rules) return { problem: `policy.rules_json: ${rules.problem}` };
  if (rules.ok) out.rulesJson = JSON.stringify(rules.ok);
  return { ok: out };
}

/** How a declared policy differs from the stored one, e.g. ["rotationDays declared 30, stored 90"]. */
export function policyDifferences(declared: DeclaredPolicy, stored: { type: string; rotation_days: number; reminder_days: number; rules_json?: string | null }): string[] {
  const diffs: string[] = [];
  if (declared.type !== undefined && declared.type !== stored.type) diffs.push(`type declared ${declared.type}, stored ${stored.type}`);
  if (declared.rotationDays !== undefined && declared.rotationDays !== stored.rotation_days) diffs.push(`rotationDays declared ${declared.rotationDays}, stored ${stored.rotation_days}`);
  if (declared.reminderDays !== undefined && declared.reminderDays !== stored.reminder_days) diffs.push(`reminderDays declared ${declared.reminderDays}, stored ${stored.reminder_days}`);
  // Rules are recorded with the stub; a later difference is reported for an admin, like the rest.
  if (declared.rulesJson !== undefined && declared.rulesJson !== (stored.rules_json ?? undefined)) diffs.push(`rules declared ${declared.rulesJson}, stored ${stored.rules_json ?? "none"}`);
  return diffs;
}
