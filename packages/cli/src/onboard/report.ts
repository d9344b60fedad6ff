import type { ConnectResult, SecretState } from "./connect.js";
import type { ScaffoldResult } from "./scaffold.js";

const WHY: Record<SecretState, string> = {
  served: "served",
  optional_unserved: "optional, not served yet (the app starts without it; keyward status says why)",
  token_pending: "waits for the token's approval",
  access_pending: "waits for an admin to grant access",
  no_value: "has no value yet (a stub)",
  missing: "is not on the service yet",
  disabled: "is disabled",
  denied: "access was denied or revoked",
  error: "could not be checked",
};

/** The one thing to do next, exact enough to copy. */
export function nextStep(result: ConnectResult, ctx: { dir: string; environment: string; service: string; wired: boolean }): string {
  if (result.provider !== "keyward") {
    if (result.health !== "serving") return `fix the ${result.provider} settings or credentials (${result.providerHealth?.reason ?? "unavailable"}), then run keyward onboard again`;
    const absent = result.secrets.filter((s) => s.state !== "served" && s.state !== "optional_unserved").map((s) => s.name);
    if (absent.length > 0) return `store ${absent.join(", ")} in ${result.provider} (at the paths the naming rule gives), then run keyward onboard again`;
  }
  if (result.health !== "serving") return `start the service (npm start in the Keyward checkout, or keyward-service start), then run keyward onboard again`;
  if (result.token === "pending") return `an admin approves the token of ${ctx.service}: keyward approvals (or the console's Tokens page)`;
  if (result.token === "revoked" || result.token === "expired") return `the token of ${ctx.service} is ${result.token}: delete ${ctx.dir}/.keyward/service-token and run keyward onboard again`;
  const access = result.secrets.filter((s) => s.state === "access_pending").map((s) => s.name);
  if (access.length > 0) return `an admin grants ${access.join(", ")} to ${ctx.service}: keyward approvals`;
  const unset = result.secrets.filter((s) => s.state === "no_value" || s.state === "missing").map((s) => s.name);
  if (unset.length > 0) return `set ${unset.length === 1 ? "its value" : "their values"}: ${unset.map((n) => `keyward secrets set ${n} --environment ${ctx.environment}`).join(" && ")}`;
  // An optional secret not served yet does not stop the app from starting.
  const blocked = result.secrets.filter((s) => s.state !== "served" && s.state !== "optional_unserved").map((s) => s.name);
  if (blocked.length > 0) return `an admin looks at ${blocked.join(", ")} (keyward status)`;
  return ctx.wired ? `cd ${ctx.dir} && pnpm install && pnpm secrets:generate, then import { secrets } from "./secrets-client.js"` : `the app is ready: start it with the .env in ${ctx.dir}`;
}

/** The summary people read at the end: what was written, what the health check found, and the next step. */
export function renderReport(scaffold: ScaffoldResult, result: ConnectResult, ctx: { dir: string; environment: string; service: string; wired: boolean }, mark: (ok: boolean) => string): string {
  const lines = [
    "",
    `${mark(true)} schema: ${scaffold.added.length > 0 ? `added ${scaffold.added.join(", ")}` : "nothing new to add"}${scaffold.kept.length > 0 ? ` (kept ${scaffold.kept.join(", ")})` : ""}`,
    ...(scaffold.written.length > 0 ? [`${mark(true)} files: ${scaffold.written.join(", ")}`] : []),
    ...(result.provider === "keyward" ? [`${mark(true)} token: ${result.tokenCreated ? "created" : "kept"} ${ctx.dir}/.keyward/service-token (0600, git-ignored; never printed)`] : []),
    `${mark(true)} .env: ${result.envChanged.length > 0 ? `set ${result.envChanged.join(", ")}` : "already up to date"}`,
    result.provider === "keyward"
      ? `${mark(result.health === "serving")} gRPC health: ${result.health === "serving" ? "serving" : result.health === "not_serving" ? "not serving" : "unreachable"}`
      : `${mark(result.providerHealth?.status === "healthy")} ${result.provider} health: ${result.providerHealth?.status ?? "unknown"}${result.providerHealth?.reason ? ` (${result.providerHealth.reason})` : ""}`,
  ];
  if (result.token) lines.push(`${mark(result.token === "approved")} token status: ${result.token}`);
  for (const s of result.secrets) lines.push(`${mark(s.state === "served")} ${s.name}: ${WHY[s.state]}${s.detail ? ` (${s.detail})` : ""}`);
  lines.push("", `Next: ${nextStep(result, ctx)}`, "");
  return lines.join("\n");
}
