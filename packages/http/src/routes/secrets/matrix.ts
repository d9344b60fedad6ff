import { listEnvironments, listSecretsMatrix, rotationOf, type MatrixCellRow } from "@keyward/db";
import type { MatrixCell, SecretsMatrix } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { inScope } from "../../scope.js";

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toCell(environment: string, row: MatrixCellRow | undefined, policy: { rotation_days: number; reminder_days: number }, now: Date): MatrixCell {
  if (!row) return { environment, state: "missing", currentVersion: 0, rotation: null };
  const r = rotationOf({ ...policy, last_rotated_at: row.last_rotated_at }, now);
  const state = row.status === "disabled" ? "disabled" : row.status === "stub" || row.current_version === 0 ? "stub" : "set";
  return { environment, state, currentVersion: row.current_version, rotation: { state: r.state, lastRotatedAt: iso(r.lastRotatedAt), dueAt: iso(r.dueAt), daysLeft: r.daysLeft } };
}

/** Rows = secret definitions, columns = environments: a missing production value shows at a glance. */
export const getSecretsMatrixRoute: RouteHandler<"getSecretsMatrix"> = async (ctx) => {
  const { q, limit, cursor } = ctx.query;
  const [all, page] = await Promise.all([listEnvironments(ctx.deps.db), listSecretsMatrix(ctx.deps.db, { q, limit, cursor })]);
  // A scoped caller sees the columns of its environments only.
  const environments = all.filter((e) => inScope(ctx.principal, e.name));
  const now = ctx.deps.clock.now();
  const body: SecretsMatrix = {
    environments: environments.map((e) => e.name),
    items: page.items.map(({ definition: d, cells }) => ({
      name: d.name,
      description: d.description,
      type: d.type as SecretsMatrix["items"][number]["type"],
      rotationDays: d.rotation_days,
      reminderDays: d.reminder_days,
      cells: environments.map((e) => toCell(e.name, cells.find((c) => c.environment_id === e.id), d, now)),
    })),
    nextCursor: page.nextCursor,
  };
  sendJson(ctx.res, 200, body);
};
