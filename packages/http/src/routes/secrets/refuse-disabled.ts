import { getSecretMetadata } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import type { RouteContext } from "../../context.js";
import { HttpProblem } from "../../problem.js";
import { secretNotFound } from "./load.js";

/**
 * Writing a value makes a secret active, so a write to a disabled one would quietly re-enable it,
 * which enableSecret reserves to owners and admins. Refused here (409) until it is enabled.
 */
export async function refuseIfDisabled(ctx: RouteContext, name: string, action: string): Promise<void> {
  const secret = await getSecretMetadata(ctx.deps.db, name);
  if (!secret) throw secretNotFound(name);
  if (secret.status !== "disabled") return;
  await auditAdmin(ctx, { action, target: `secret:${name}`, result: "refused", reason: "disabled" });
  throw new HttpProblem(409, "Secret is disabled", `${name} is disabled; enable it before writing a value`, "name");
}
