import type { Envelope } from "@keyward/common";
import { listEnvironments, listSecrets, readSecretValue, type Database, type ValueCheck } from "@keyward/db";
import type { Kysely } from "kysely";

export interface ValueFinding {
  environment: string;
  name: string;
  problem: string;
}

/**
 * After a restore (issue #17): each secret's current value checked against its type and declared
 * rules, as the admin API checks a new one. Restore copies history as it was, so nothing is changed
 * or dropped here: the findings are reported for an admin to fix by setting a new value. A value
 * that does not open is reported too; the value itself never is.
 */
export async function checkRestoredValues(db: Kysely<Database>, envelope: Envelope, check: ValueCheck): Promise<{ checked: number; findings: ValueFinding[] }> {
  const findings: ValueFinding[] = [];
  let checked = 0;
  for (const environment of await listEnvironments(db)) {
    let cursor: string | undefined;
    do {
      const page = await listSecrets(db, { environmentId: environment.id, status: "active", limit: 500, ...(cursor ? { cursor } : {}) });
      for (const secret of page.items) {
        const read = await readSecretValue(db, envelope, { environmentId: environment.id, name: secret.name });
        if (read.kind !== "ok") {
          if (read.kind === "integrity") findings.push({ environment: environment.name, name: secret.name, problem: "the value does not open (integrity)" });
          continue;
        }
        checked++;
        const r = check(read.value, { type: secret.type, rulesJson: secret.rules_json });
        if (!r.ok) findings.push({ environment: environment.name, name: secret.name, problem: r.problem });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { checked, findings };
}
