import { AdminApiError, unwrap, type AdminClient } from "@keyward/admin-client";
import { CliError } from "../exit-codes.js";
import type { ImportEntry } from "./entries.js";
import { writes, type PlannedImport } from "./plan.js";

/** How one planned write ended: written, held for approval (202, with the change request id), or failed (the service's reason, never a value). */
export type ImportOutcome = { name: string; result: "written"; version: number } | { name: string; result: "held"; changeRequest: string } | { name: string; result: "failed"; reason: string };

/**
 * Carries out the plan's writes one name at a time: create the secret (no value, so a protected
 * environment can hold the value), then set its value with check-and-set. A failure does not stop
 * the rest; every outcome is reported, so a re-run (which re-plans) completes what is left.
 */
export async function applyImport(admin: AdminClient, plan: PlannedImport[], entries: ImportEntry[], environment: string, description: string): Promise<ImportOutcome[]> {
  const valueOf = new Map(entries.map((e) => [e.name, e.value]));
  const query = { environment };
  const outcomes: ImportOutcome[] = [];
  for (const step of plan.filter((s) => writes(s.action))) {
    try {
      if (step.action === "create") await unwrap(admin.POST("/api/secrets", { params: { query }, body: { name: step.name, description } }));
      const answer = await admin.PUT("/api/secrets/{name}/value", {
        params: { path: { name: step.name }, query },
        body: { value: valueOf.get(step.name)!, expectedVersion: step.expectedVersion ?? 0 },
      });
      const data = await unwrap(Promise.resolve(answer));
      if ("kind" in data) outcomes.push({ name: step.name, result: "held", changeRequest: data.id });
      else outcomes.push({ name: step.name, result: "written", version: data.version });
    } catch (error) {
      // A refusal (409 changed meanwhile, 403, ...) or a lost connection: report it and go on.
      if (error instanceof AdminApiError) outcomes.push({ name: step.name, result: "failed", reason: `HTTP ${error.status}: ${error.message}` });
      else if (error instanceof CliError) outcomes.push({ name: step.name, result: "failed", reason: error.message });
      else throw error;
    }
  }
  return outcomes;
}
