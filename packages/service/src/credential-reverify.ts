import { BASE_URL_NAMES, createCredentialTester, type CredentialTester } from "@keyward/credential-tests";
import { configError, type Clock, type Envelope, type Logger } from "@keyward/common";
import { claimDueCredentialChecks, type Database } from "@keyward/db";
import { runCredentialCheck, type CredentialCheckAuditEntry } from "@keyward/http";
import type { JobDefinition } from "@keyward/notify";
import type { Kysely } from "kysely";

/**
 * The connection testers with the deployment's settings (KEYWARD_CREDENTIAL_TESTS,
 * KEYWARD_CREDENTIAL_TEST_URLS); undefined when tests are off. A base URL for a provider no tester
 * knows is a configuration error, named at start rather than ignored.
 */
export function credentialTesterFromConfig(config: { enabled: boolean; baseUrls: Record<string, string> }): CredentialTester | undefined {
  if (!config.enabled) return undefined;
  const unknown = Object.keys(config.baseUrls).filter((name) => !(BASE_URL_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw configError("KEYWARD_CREDENTIAL_TEST_URLS", `KEYWARD_CREDENTIAL_TEST_URLS: unknown provider ${unknown.join(", ")} (known: ${BASE_URL_NAMES.join(", ")})`);
  }
  return createCredentialTester({ baseUrls: config.baseUrls });
}

/** How many due checks one run takes, and how long a claim holds before another replica may take it. */
const BATCH = 20;
const CLAIM_MS = 10 * 60_000;

/**
 * Every five minutes, re-tests the credentials whose scheduled re-verification is due (opt-in per
 * secret), one at a time, each outcome recorded with its audit row by the scheduler as actor; a
 * credential that starts failing raises credential.failed.
 */
export function credentialReverifyJob(deps: { db: Kysely<Database>; envelope: Envelope; auditKey: Uint8Array; clock: Clock; logger: Logger; tester: CredentialTester }): JobDefinition {
  return {
    name: "credential-reverify",
    schedule: { everyMs: 5 * 60_000 },
    run: async ({ now }) => {
      const due = await claimDueCredentialChecks(deps.db, { now, limit: BATCH, claimMs: CLAIM_MS });
      const checkDeps = { db: deps.db, envelope: deps.envelope, auditKey: deps.auditKey, tester: deps.tester, now: () => deps.clock.now(), logger: deps.logger };
      const by = {
        actor: "scheduler",
        auditRow: (entry: CredentialCheckAuditEntry) => ({ at: deps.clock.now(), actor_type: "system", actor_id: "scheduler", ip: null, user_agent: null, request_id: null, ...entry }),
      };
      let failing = 0;
      for (const check of due) {
        const target = { secretId: check.secretId, name: check.name, type: check.type, environment: { id: check.environmentId, name: check.environment } };
        const run = await runCredentialCheck(checkDeps, target, by);
        if (run.kind === "checked" && run.outcome.status === "error") failing++;
      }
      if (due.length > 0) deps.logger.info({ checked: due.length, failing }, "re-verified stored credentials");
    },
  };
}
