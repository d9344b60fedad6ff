import type { Envelope, Logger } from "@keyward/common";
import {
  beginCredentialCheck,
  consoleLinks,
  inAuditedTransaction,
  readSecretValue,
  recordCredentialCheck,
  recordEvent,
  type CredentialCheckOutcome,
  type Database,
  type NewAuditRow,
} from "@keyward/db";
import type { Kysely } from "kysely";
import type { CredentialTester } from "./tester.js";

export interface CredentialCheckDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  tester: CredentialTester;
  now: () => Date;
  logger?: Logger;
}

export interface CredentialCheckTarget {
  secretId: string;
  name: string;
  type: string;
  environment: { id: string; name: string };
}

/** How long a tester may take, end to end (each tester also has its own timeout). */
export const CREDENTIAL_TEST_TIMEOUT_MS = 15_000;

/** What the check's audit row says; `auditRow` adds who and from where. */
export interface CredentialCheckAuditEntry {
  action: "secret.credential.test";
  target: string;
  result: "ok" | "error";
  reason: string;
  environment: string;
}

export type CredentialCheckRun = { kind: "checked"; outcome: CredentialCheckOutcome } | { kind: "no_value" } | { kind: "disabled" } | { kind: "unreadable" };

/**
 * Tests one stored credential: opens its value, marks the check verifying, runs the type's tester
 * and records the outcome with its audit row (`auditRow` fills in who and from where) in one
 * transaction. A credential that starts failing raises `credential.failed` in that transaction.
 * Shared by the admin API's "test connection" and the scheduled re-verification.
 */
export async function runCredentialCheck(
  deps: CredentialCheckDeps,
  target: CredentialCheckTarget,
  by: { actor: string; auditRow: (entry: CredentialCheckAuditEntry) => NewAuditRow },
): Promise<CredentialCheckRun> {
  const read = await readSecretValue(deps.db, deps.envelope, { environmentId: target.environment.id, name: target.name });
  if (read.kind === "no_value" || read.kind === "not_found") return { kind: "no_value" };
  if (read.kind === "disabled") return { kind: "disabled" };
  if (read.kind !== "ok") return { kind: "unreadable" };
  await beginCredentialCheck(deps.db, { secretId: target.secretId, at: deps.now() });
  const outcome = secretFree(await testSafely(deps, target.type, read.value), read.value);
  await inAuditedTransaction(deps.db, deps.auditKey, async (trx, audit) => {
    const at = deps.now();
    const { previous } = await recordCredentialCheck(trx, { secretId: target.secretId, outcome, at, by: by.actor });
    audit(
      by.auditRow({
        action: "secret.credential.test",
        target: `secret:${target.name}`,
        result: outcome.status === "connected" ? "ok" : "error",
        reason: outcome.status === "connected" ? `connected (version ${read.version})` : `${outcome.code}: ${outcome.error} (version ${read.version})`,
        environment: target.environment.name,
      }),
    );
    if (outcome.status === "error" && previous !== "error") {
      await recordEvent(trx, {
        type: "credential.failed",
        environment: target.environment.name,
        subject: target.name,
        link: consoleLinks.secrets({ name: target.name, environment: target.environment.name }),
        data: { code: outcome.code, error: outcome.error },
      });
    }
  });
  return { kind: "checked", outcome };
}

async function testSafely(deps: CredentialCheckDeps, type: string, value: string): Promise<CredentialCheckOutcome> {
  try {
    return await deps.tester.test(type, value, { signal: AbortSignal.timeout(CREDENTIAL_TEST_TIMEOUT_MS) });
  } catch (error) {
    // A tester's own message could quote what it was given: only the error's class is kept.
    deps.logger?.warn({ type, error: error instanceof Error ? error.name : typeof error }, "credential tester threw");
    return { status: "error", code: "unexpected", error: "the connection test failed unexpectedly" };
  }
}

/** The last line of defence: an error text that contains the value is replaced (testers must not quote it). */
function secretFree(outcome: CredentialCheckOutcome, value: string): CredentialCheckOutcome {
  if (outcome.status === "connected") return outcome;
  const error = outcome.error.slice(0, 300);
  return { ...outcome, error: value.length > 0 && outcome.error.includes(value) ? "the connection test failed (details withheld: they quoted the value)" : error };
}
