import { status } from "@grpc/grpc-js";
import { assertNever, secretNameProblem, textProblem } from "@keyward/common";
import { getSecretByName, readSecretValue, type AccessRequest, type BoundServiceToken, type ReadValueResult } from "@keyward/db";
import type { AuditedCall } from "../audit.js";
import { grantKey, valueKey, type CachedValue } from "../cache/read-cache.js";
import type { Refusal } from "../caller.js";
import type { GrpcRuntime } from "../runtime.js";
import type { SecretPolicy } from "@keyward/proto";
import { declaredPolicy, policyDifferences, type DeclaredPolicy } from "../policy.js";
import { differingDescriptions } from "../description-mismatch.js";
import { grantOf } from "./grant.js";
import { ensureRequest, recordStubAndRequest, type RecordedRequest } from "./record-request.js";

/** What one name resolves to for an approved caller: its value, why it is refused, or that the client left. */
export type SecretOutcome = { kind: "ok"; value: string; version: number } | ({ kind: "refused" } & Refusal) | { kind: "cancelled" };

const refuse = (code: status, reason: Refusal["reason"], message: string): SecretOutcome => ({ kind: "refused", code, reason, message });

export interface ResolveInput {
  call: AuditedCall;
  caller: { token: BoundServiceToken; actorId: string };
  name: string;
  description: string;
  /** The schema's declared policy (type, rotation, reminder window): recorded on a stub, compared with what is stored. */
  policy?: SecretPolicy | undefined;
  /** Checked before any write, so a call whose client left records no stub or request. */
  gone: () => boolean;
  /** The call's time (a batch reads the clock once); the clock's now when left out. */
  now?: Date | undefined;
}

/**
 * Seed 003 semantics for one name, shared by GetSecret and GetSecrets: a missing secret becomes a
 * stub; without a grant an access request is recorded once (PERMISSION_DENIED); else the current
 * value. A missing secret answers exactly as an existing one the caller was not granted
 * (access_pending), so a service cannot probe which names exist. A granted, readable secret is
 * answered from memory when cached. Everything is in the caller's token's environment. Auditing
 * the read is the caller's job, so a batch can audit each name.
 *
 * The common case, a granted and cached value asked for with the stored description (or none),
 * is answered synchronously: no promise per name, which is most of a large batch's cost.
 */
export function resolveSecret(rt: GrpcRuntime, input: ResolveInput): SecretOutcome | Promise<SecretOutcome> {
  const { name, caller } = input;
  const problem = secretNameProblem(name);
  if (problem) return refuse(status.INVALID_ARGUMENT, "invalid_name", `name: ${problem}`);
  const descriptionProblem = textProblem(input.description, { multiline: true });
  if (descriptionProblem) return refuse(status.INVALID_ARGUMENT, "invalid_argument", `description: ${descriptionProblem}`);
  const declared = declaredPolicy(input.policy);
  if ("problem" in declared) return refuse(status.INVALID_ARGUMENT, "invalid_argument", declared.problem);
  const environmentId = caller.token.environment_id;
  const key = grantKey(environmentId, caller.token.service_name, name);
  const cacheKey = valueKey(environmentId, name);
  const now = input.now ?? rt.deps.clock.now();

  const grant = rt.cache?.grants.get(key);
  const cached = rt.cache?.values.get(cacheKey);
  if (grant?.kind === "ok" && cached) {
    if (!differingDescriptions(input.description, cached.description)) return granted(rt, input, grant.request, cached, now);
    return grantedAfterCheck(rt, input, grant.request, cached, now);
  }
  return resolveUncached(rt, input, { key, cacheKey, now, declared: declared.ok });
}

/** The rest of resolveSecret: the database, and the stub, request or mismatch a read may record. */
async function resolveUncached(rt: GrpcRuntime, input: ResolveInput, keys: { key: string; cacheKey: string; now: Date; declared: DeclaredPolicy }): Promise<SecretOutcome> {
  const { name, caller } = input;
  const { key, cacheKey, now, declared } = keys;
  const serviceName = caller.token.service_name;
  const environmentId = caller.token.environment_id;

  const secret = await getSecretByName(rt.deps.db, { environmentId, name });
  if (input.gone()) return { kind: "cancelled" };
  let recorded: RecordedRequest;
  if (!secret) {
    recorded = await recordStubAndRequest(rt, { call: input.call, caller, name, description: input.description, policy: declared, at: now });
  } else {
    await rt.mismatches.check(input.call, { secretName: name, serviceName, actorId: caller.actorId, clientDescription: input.description, storedDescription: secret.description });
    await rt.mismatches.checkPolicy(input.call, { secretName: name, serviceName, actorId: caller.actorId, differences: policyDifferences(declared, secret) });
    const ensure = () => ensureRequest(rt, { call: input.call, caller, name, at: now });
    recorded = rt.cache ? await rt.cache.grants.fill(key, ensure, (r) => r.kind === "ok" && r.request.status === "granted") : await ensure();
  }
  const access = grantOf(recorded, name);
  if (access.kind === "refused") return access;
  const request = access.request;

  let read = { kind: "not_found" } as ReadValueResult;
  const description = secret?.description ?? input.description;
  const load = async (): Promise<CachedValue | undefined> => {
    read = await readSecretValue(rt.deps.db, rt.deps.envelope, { environmentId, name });
    return read.kind === "ok" ? { value: read.value, version: read.version, description } : undefined;
  };
  const value = rt.cache ? await rt.cache.values.fill(cacheKey, load, (v) => v !== undefined) : await load();
  if (value) return granted(rt, input, request, value, now);
  switch (read.kind) {
    case "no_value":
    case "not_found":
    case "ok":
      return refuse(status.NOT_FOUND, "secret_no_value", `secret ${name} has no value yet`);
    case "disabled":
      return refuse(status.FAILED_PRECONDITION, "secret_disabled", `secret ${name} is disabled`);
    case "signing_key":
      return refuse(status.FAILED_PRECONDITION, "signing_key", `${name} is a signing key: its key material never leaves Keyward; use Sign and Verify`);
    case "integrity":
      // Only a change to the database explains this: withhold the value, tell the operator (never the value).
      rt.deps.logger.error({ secretName: name, problem: read.problem }, "stored value failed its integrity check; withheld");
      return refuse(status.DATA_LOSS, "integrity", `the stored value of ${name} failed an integrity check; an admin must set it again`);
    default:
      return assertNever(read, "read result");
  }
}

/** A granted value answered: the use is counted (written in the background, see use-counter.ts). */
function granted(rt: GrpcRuntime, input: ResolveInput, request: AccessRequest, value: CachedValue, now: Date): SecretOutcome {
  rt.uses.record(input.caller.token.id, request.id, now);
  return { kind: "ok", value: value.value, version: value.version };
}

/** A cached value asked for with another description: the difference is recorded for admins first. */
async function grantedAfterCheck(rt: GrpcRuntime, input: ResolveInput, request: AccessRequest, value: CachedValue, now: Date): Promise<SecretOutcome> {
  await rt.mismatches.check(input.call, {
    secretName: input.name,
    serviceName: input.caller.token.service_name,
    actorId: input.caller.actorId,
    clientDescription: input.description,
    storedDescription: value.description,
  });
  return granted(rt, input, request, value, now);
}
