import { listAccessRequests, listServiceTokens, readSecretValue, selectSecretsWithRotation, type AccessRequest, type SecretWithRotation } from "@keyward/db";
import type { PreflightReport, PreflightResult } from "@keyward/spec";
import { auditAdmin } from "../../audit.js";
import type { RouteContext, RouteHandler } from "../../context.js";
import { environmentNamed } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertInScope } from "../../scope.js";
import { accessState, isServed, rotationState, tokenState, valueStateOf } from "./report.js";
import { ruleChecker, sameRules } from "./value-rules.js";

/** Every page of a keyset-paginated list. */
async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * POST /api/preflight: per secret, what the service would meet if it started now. Read-only; a
 * value is decrypted only to check rules it was sent that are the secret's stored rules (see
 * sameRules), and is never returned or logged. Each name once per call. One audit row records who
 * asked about which service.
 */
export const runPreflightRoute: RouteHandler<"runPreflight"> = async (ctx: RouteContext<"runPreflight">) => {
  const { service, secrets } = ctx.body;
  const env = ctx.body.environment === undefined ? await ctx.lookups.defaultEnvironment() : await environmentNamed(ctx, ctx.body.environment);
  assertInScope(ctx.principal, env.name);
  // One entry per name: no batch of guesses at one value.
  const names = new Set<string>();
  for (const [i, { name }] of secrets.entries()) {
    if (names.has(name)) throw new HttpProblem(400, "Invalid preflight", `secrets/${i}/name: ${name} appears more than once`, `secrets/${i}/name`);
    names.add(name);
  }
  // Compile every rule first: a bad one is a 400 before any value is opened.
  const compile = ruleChecker();
  const checks = secrets.map((s, i) => (s.rules && Object.keys(s.rules).length > 0 ? compile(s.rules, `secrets/${i}/rules`) : undefined));
  const now = ctx.deps.clock.now();
  const [rows, tokens, requests] = await Promise.all([
    selectSecretsWithRotation(ctx.deps.db, env.id).where("secrets.name", "in", [...names]).execute() as Promise<SecretWithRotation[]>,
    all((cursor) => listServiceTokens(ctx.deps.db, { environmentId: env.id, serviceName: service, limit: 500, ...(cursor ? { cursor } : {}) })),
    all((cursor) => listAccessRequests(ctx.deps.db, { environmentId: env.id, serviceName: service, limit: 500, ...(cursor ? { cursor } : {}) })),
  ]);
  const secretByName = new Map(rows.map((r) => [r.name, r]));
  const requestsByName = new Map<string, AccessRequest[]>();
  for (const r of requests) requestsByName.set(r.secret_name, [...(requestsByName.get(r.secret_name) ?? []), r]);
  const token = tokenState(tokens, now);
  const results: PreflightResult[] = [];
  for (const [i, { name }] of secrets.entries()) {
    const secret = secretByName.get(name);
    const valueState = valueStateOf(secret);
    let rule: PreflightResult["rule"] = "unchecked";
    let failedRule: string | null = null;
    const check = checks[i];
    if (check && valueState === "set") {
      if (!sameRules(secrets[i]!.rules!, secret?.rules_json)) rule = "differs";
      else {
        const read = await readSecretValue(ctx.deps.db, ctx.deps.envelope, { environmentId: env.id, name });
        if (read.kind === "ok") {
          const checked = check(read.value);
          rule = checked.rule;
          failedRule = checked.rule === "fails" ? checked.failed : null;
        }
      }
    }
    const result = { name, valueState, access: accessState(requestsByName.get(name) ?? []), token, rotation: rotationState(secret, now), rule, failedRule };
    results.push({ ...result, served: isServed(result) });
  }
  const body: PreflightReport = { service, environment: env.name, results };
  const unserved = results.filter((r) => !r.served).length;
  await auditAdmin(ctx, { action: "secrets.preflight", target: `service:${service}`, result: "ok", reason: `${results.length} secrets, ${unserved} not served`, environment: env.name });
  sendJson(ctx.res, 200, body);
};
