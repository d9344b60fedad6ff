import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey, KeywardError } from "@keyward/common";
import {
  appendAudit,
  createAdminKey,
  createSecret,
  createSecretStub,
  decideAccessRequest,
  deleteSecret,
  ensureAccessRequest,
  getSecretMetadata,
  listAccessRequests,
  listAdminKeys,
  listAudit,
  listMissingSecrets,
  listSecrets,
  listSecretsMatrix,
  listServiceTokens,
  recordAdminKeyUse,
  registerServiceToken,
  revokeAdminKey,
  rotationOf,
  setSecretEnabled,
  setSecretValue,
  updateSecretMetadata,
  type RotationState,
} from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const DAY = 86_400_000;

/** Walks every page of a list query and returns all items, checking each page's size. */
async function allPages<T>(list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, limit: number): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await list(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

describe.each(backends)("admin list and metadata queries on %s", (_name, fresh) => {
  it("pages secrets by name with search, status, type and rotation filters", async () => {
    const { db, close } = await fresh();
    try {
      const now = new Date("2026-06-01T00:00:00Z");
      const names = Array.from({ length: 23 }, (_, i) => `KEY_${String(i).padStart(2, "0")}`);
      for (const name of names) await createSecret(db, { environmentId: await defaultEnvironmentId(db), name, description: name === "KEY_07" ? "the Stripe key" : name === "KEY_12" ? "rotates (monthly) at 1.5x * [ops]" : "", actor: "t", at: now });
      const all = await allPages(async (cursor) => listSecrets(db, { environmentId: await defaultEnvironmentId(db), limit: 5, cursor }), 5);
      expect(all.map((s) => s.name)).toEqual(names);

      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "stripe" })).items.map((s) => s.name)).toEqual(["KEY_07"]);
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "key_1" })).items).toHaveLength(10);
      // LIKE wildcards in a search are literal.
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "%" })).items).toEqual([]);
      // So are regular-expression metacharacters (the search is a literal substring, search-text.ts).
      const search = async (q: string) => (await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q })).items.map((s) => s.name);
      expect(await search("(monthly) at 1.5x * [ops]")).toEqual(["KEY_12"]);
      expect(await search("MONTHLY) AT 1.5X")).toEqual(["KEY_12"]);
      for (const q of ["KEY_0.", "^KEY", "K.Y", "1.5x*", "1\\.5", "ops[", "[o]ps", "[ops)", ")(", "\\", "$", "***=KEY", "key_0|key_1"]) expect(await search(q), q).toEqual([]);
      // Name and description are searched as one text, but a match never spans the two: "07the"
      // would join KEY_07's name to its description. A newline in the query falls back to each field.
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "07the" })).items).toEqual([]);
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "07 the" })).items).toEqual([]);
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "07\nthe" })).items).toEqual([]);
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), q: "KEY_07" })).items.map((s) => s.name)).toEqual(["KEY_07"]);
      expect((await listSecretsMatrix(db, { q: "stripe key" })).items.map((r) => r.definition.name)).toEqual(["KEY_07"]);
      expect((await listSecretsMatrix(db, { q: "07\nthe" })).items).toEqual([]);
      // Non-word characters narrow nothing in the index (search-text.ts) but still have to match.
      expect(await search("_")).toEqual(names);
      expect(await search("y_2")).toEqual(["KEY_20", "KEY_21", "KEY_22"]);
      expect(await search("e s")).toEqual(["KEY_07"]);
      expect(await search("-")).toEqual([]);
      // Fuzzed against the definition of the search: a case-insensitive substring of the name or of
      // the description, never spanning the two. Queries are pieces of the stored texts, with their
      // case flipped and characters dropped or swapped for wildcards and regex metacharacters.
      const texts = names.map((name) => ({ name, description: name === "KEY_07" ? "the Stripe key" : name === "KEY_12" ? "rotates (monthly) at 1.5x * [ops]" : "" }));
      const source = texts.flatMap((t) => [t.name, t.description, `${t.name} ${t.description}`]).filter(Boolean).join("|");
      let seed = 20261202;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const junk = "%_\\.*+?()[]{}^$|-' \nxX0";
      for (let i = 0; i < 150; i++) {
        const start = rand(source.length);
        let q = source.slice(start, start + 1 + rand(8));
        if (rand(3) === 0) q = [...q].map((c) => (rand(2) ? c.toUpperCase() : c.toLowerCase())).join("");
        if (rand(4) === 0) q = q.slice(0, rand(q.length + 1)) + junk[rand(junk.length)] + q.slice(rand(q.length + 1));
        const lower = q.toLowerCase();
        const expected = texts.filter((t) => t.name.toLowerCase().includes(lower) || t.description.toLowerCase().includes(lower)).map((t) => t.name);
        expect(await search(q), JSON.stringify(q)).toEqual(expected);
      }
      await updateSecretMetadata(db, { name: "KEY_01", type: "api_key", rotationDays: 30, actor: "t", at: now });
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), type: "api_key" })).items.map((s) => s.name)).toEqual(["KEY_01"]);

      // Rotation: written 100 days ago (overdue at 90), 80 days ago (due soon), today (ok), never (no_value).
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "KEY_02", value: "a", actor: "t", at: new Date(now.getTime() - 100 * DAY) });
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "KEY_03", value: "b", actor: "t", at: new Date(now.getTime() - 80 * DAY) });
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "KEY_04", value: "c", actor: "t", at: now });
      expect((await listSecrets(db, { environmentId: await defaultEnvironmentId(db), status: "active" })).items.map((s) => s.name)).toEqual(["KEY_02", "KEY_03", "KEY_04"]);
      const expected: Record<RotationState, string[]> = { overdue: ["KEY_02"], due_soon: ["KEY_03"], ok: ["KEY_04"], no_value: names.filter((n) => !["KEY_02", "KEY_03", "KEY_04"].includes(n)) };
      for (const [state, want] of Object.entries(expected) as [RotationState, string[]][]) {
        const rows = (await listSecrets(db, { environmentId: await defaultEnvironmentId(db), rotation: state, now })).items;
        expect(rows.map((s) => s.name), state).toEqual(want);
        // The SQL filter and rotationOf agree on every row.
        for (const row of rows) expect(rotationOf(row, now).state).toBe(state);
      }
      const r = rotationOf((await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "KEY_03" }))!, now);
      expect(r).toMatchObject({ state: "due_soon", daysLeft: 10 });
      expect(r.dueAt?.toISOString()).toBe(new Date(now.getTime() + 10 * DAY).toISOString());
      expect(rotationOf((await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "KEY_02" }))!, now).daysLeft).toBe(-10);

      await expect(listSecrets(db, { environmentId: await defaultEnvironmentId(db), cursor: "not-a-cursor" })).rejects.toThrow(KeywardError);
      await expect(listSecrets(db, { environmentId: await defaultEnvironmentId(db), cursor: Buffer.from('["a",1]').toString("base64url") })).rejects.toMatchObject({ field: "cursor" });
    } finally {
      await close();
    }
  });

  it("pages the matrix with every environment's cell of each definition, and only those, searched or not", async () => {
    const { db, close } = await fresh();
    try {
      const at = new Date("2026-06-01T00:00:00Z");
      const production = await defaultEnvironmentId(db);
      const staging = (await db.selectFrom("environments").select("id").where("name", "=", "staging").executeTakeFirstOrThrow()).id;
      // Names interleave across the environments, some in one only, some in both, so a page's first
      // and last name bound cells that belong to other pages' definitions only if the query is wrong.
      const all = Array.from({ length: 17 }, (_, i) => `M_${String(i).padStart(2, "0")}${i % 4 === 0 ? "_PAY" : ""}`);
      const names = all.filter((_, i) => i % 3 !== 2 || i % 2 === 0); // those in at least one environment
      for (const [i, name] of all.entries()) {
        if (i % 3 !== 2) await createSecret(db, { environmentId: production, name, actor: "t", at });
        if (i % 2 === 0) await createSecret(db, { environmentId: staging, name, actor: "t", at });
        if (i % 5 === 0) await setSecretValue(db, envelope, { environmentId: production, name, value: `v${i}`, actor: "t", at: new Date(at.getTime() + i * 1000) }).catch(() => undefined);
      }
      const expected = async (name: string) =>
        (await db.selectFrom("secrets").select(["environment_id", "status", "current_version", "last_rotated_at"]).where("name", "=", name).execute()).sort((a, b) => a.environment_id.localeCompare(b.environment_id));
      const byEnv = (cells: { environment_id: string }[]) => [...cells].sort((a, b) => a.environment_id.localeCompare(b.environment_id));
      for (const q of [undefined, "pay"]) {
        const rows = await allPages((cursor) => listSecretsMatrix(db, { limit: 3, cursor, q }), 3);
        expect(rows.map((r) => r.definition.name)).toEqual(q ? names.filter((n) => n.endsWith("_PAY")) : names);
        for (const row of rows) expect(byEnv(row.cells), row.definition.name).toEqual(await expected(row.definition.name));
      }
    } finally {
      await close();
    }
  });

  it("creates, updates, disables, enables and deletes secrets; deleting revokes their grants", async () => {
    const { db, close } = await fresh();
    try {
      const at = new Date();
      expect(await createSecret(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", description: "d", type: "api_key", rotationDays: 30, actor: "admin:1", at })).toMatchObject({ kind: "ok", secret: { status: "stub", type: "api_key", rotation_days: 30 } });
      expect(await createSecret(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", actor: "admin:1", at })).toEqual({ kind: "exists" });
      expect(await updateSecretMetadata(db, { name: "API_KEY", description: "new", actor: "admin:2", at })).toBe(true);
      expect(await updateSecretMetadata(db, { name: "NOPE", description: "new", actor: "admin:2", at })).toBe(false);
      expect(await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" })).toMatchObject({ description: "new", type: "api_key", updated_by: "admin:2", last_rotated_at: null });

      expect(await setSecretEnabled(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", enabled: false, actor: "a", at })).toBe(true);
      expect((await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" }))?.status).toBe("disabled");
      expect(await setSecretEnabled(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", enabled: true, actor: "a", at })).toBe(true);
      expect((await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" }))?.status).toBe("stub");
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: "v", actor: "a", at });
      await setSecretEnabled(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", enabled: false, actor: "a", at });
      await setSecretEnabled(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", enabled: true, actor: "a", at });
      expect((await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" }))?.status).toBe("active");
      expect(await setSecretEnabled(db, { environmentId: await defaultEnvironmentId(db), name: "NOPE", enabled: true, actor: "a", at })).toBe(false);

      const { request } = await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: "API_KEY", serviceName: "billing", at });
      await decideAccessRequest(db, { environmentId: await defaultEnvironmentId(db), id: request.id, decision: "grant", actor: "a", at });
      expect(await deleteSecret(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", actor: "admin:1", at })).toBe(true);
      expect(await deleteSecret(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", actor: "admin:1", at })).toBe(false);
      expect(await getSecretMetadata(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" })).toBeUndefined();
      expect((await db.selectFrom("secret_versions").selectAll().execute()).length).toBe(0);
      expect((await listAccessRequests(db, { environmentId: await defaultEnvironmentId(db), secretName: "API_KEY" })).items).toEqual([expect.objectContaining({ status: "revoked", decided_by: "admin:1" })]);
    } finally {
      await close();
    }
  });

  it("lists missing secrets with the services that asked", async () => {
    const { db, close } = await fresh();
    try {
      const at = new Date();
      for (const name of ["B_MISSING", "A_MISSING", "C_MISSING"]) await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "service:x", at });
      await createSecret(db, { environmentId: await defaultEnvironmentId(db), name: "HAS_VALUE", actor: "a", at });
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "HAS_VALUE", value: "v", actor: "a", at });
      await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: "A_MISSING", serviceName: "billing", at });
      await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: "A_MISSING", serviceName: "identity", at: new Date(at.getTime() + 1000) });
      const first = await listMissingSecrets(db, { environmentId: await defaultEnvironmentId(db), limit: 2 });
      expect(first.items.map((s) => [s.name, s.requests.map((r) => r.service_name)])).toEqual([
        ["A_MISSING", ["billing", "identity"]],
        ["B_MISSING", []],
      ]);
      expect((await listMissingSecrets(db, { environmentId: await defaultEnvironmentId(db), limit: 2, cursor: first.nextCursor! })).items.map((s) => s.name)).toEqual(["C_MISSING"]);
    } finally {
      await close();
    }
  });

  it("pages service tokens and access requests newest first, with filters", async () => {
    const { db, close } = await fresh();
    try {
      const base = Date.parse("2026-01-01T00:00:00Z");
      // Several rows share a timestamp, so the id must break ties without skipping or repeating.
      for (let i = 0; i < 12; i++) {
        await registerServiceToken(db, { environmentId: await defaultEnvironmentId(db), tokenHash: hashToken(`kws_${i}`), serviceName: i % 2 ? "odd" : "even", serviceVersion: "1", at: new Date(base + Math.floor(i / 3) * 1000) });
        await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: `S_${i}`, serviceName: i % 2 ? "odd" : "even", at: new Date(base + Math.floor(i / 3) * 1000) });
      }
      const tokens = await allPages(async (cursor) => listServiceTokens(db, { environmentId: await defaultEnvironmentId(db), limit: 5, cursor }), 5);
      expect(tokens).toHaveLength(12);
      expect(new Set(tokens.map((t) => t.id)).size).toBe(12);
      const times = tokens.map((t) => new Date(t.requested_at).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(tokens[0]).not.toHaveProperty("token_hash");
      expect((await listServiceTokens(db, { environmentId: await defaultEnvironmentId(db), serviceName: "odd" })).items).toHaveLength(6);
      expect((await listServiceTokens(db, { environmentId: await defaultEnvironmentId(db), status: "approved" })).items).toHaveLength(0);

      const requests = await allPages(async (cursor) => listAccessRequests(db, { environmentId: await defaultEnvironmentId(db), limit: 4, cursor }), 4);
      expect(new Set(requests.map((r) => r.id)).size).toBe(12);
      expect((await listAccessRequests(db, { environmentId: await defaultEnvironmentId(db), serviceName: "even", secretName: "S_4" })).items.map((r) => r.secret_name)).toEqual(["S_4"]);
    } finally {
      await close();
    }
  });

  it("pages and filters the audit log", async () => {
    const { db, close } = await fresh();
    try {
      const key = randomBytes(32);
      const base = Date.parse("2026-01-01T00:00:00Z");
      for (let i = 0; i < 10; i++) {
        await appendAudit(db, key, { at: new Date(base + i * 1000), actor_type: "admin", actor_id: i % 2 ? "alice" : "bob", action: i < 5 ? "secret.value.set" : "token.approve", target: `t${i}`, result: i === 9 ? "refused" : "ok" });
      }
      const all = await allPages(async (cursor) => listAudit(db, { limit: 3, cursor }), 3);
      expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await listAudit(db, { action: "token.approve", actorId: "alice" })).items.map((r) => r.target)).toEqual(["t5", "t7", "t9"]);
      expect((await listAudit(db, { result: "refused" })).items.map((r) => r.target)).toEqual(["t9"]);
      expect((await listAudit(db, { from: new Date(base + 2000), to: new Date(base + 4000) })).items.map((r) => r.target)).toEqual(["t2", "t3"]);
      expect((await listAudit(db, { afterSeq: 8 })).items.map((r) => r.seq)).toEqual([9, 10]);
    } finally {
      await close();
    }
  });

  it("lists and revokes admin keys, never the last owner", async () => {
    const { db, close } = await fresh();
    try {
      const at = new Date();
      const owner = await createAdminKey(db, { name: "bootstrap", role: "owner", keyHash: hashToken("kwa_1"), actor: "system", at });
      const viewer = await createAdminKey(db, { name: "ci", role: "viewer", keyHash: hashToken("kwa_2"), actor: "admin:x", at });
      const listed = await listAdminKeys(db, { limit: 1 });
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0]).not.toHaveProperty("key_hash");
      expect((await listAdminKeys(db, { cursor: listed.nextCursor! })).items).toHaveLength(1);
      expect(await revokeAdminKey(db, { id: owner.id, at })).toEqual({ kind: "last_owner" });
      expect(await revokeAdminKey(db, { id: viewer.id, at })).toMatchObject({ kind: "ok", key: { id: viewer.id } });
      expect(await revokeAdminKey(db, { id: viewer.id, at })).toEqual({ kind: "already_revoked" });
      expect(await revokeAdminKey(db, { id: "nope", at })).toEqual({ kind: "not_found" });
      expect((await listAdminKeys(db)).items.map((k) => k.id)).toEqual([owner.id]);
      expect((await listAdminKeys(db, { includeRevoked: true })).items).toHaveLength(2);
      const second = await createAdminKey(db, { name: "second", role: "owner", keyHash: hashToken("kwa_3"), actor: "admin:x", at });
      expect(await revokeAdminKey(db, { id: owner.id, at })).toMatchObject({ kind: "ok" });
      expect(await revokeAdminKey(db, { id: second.id, at })).toEqual({ kind: "last_owner" });
      await recordAdminKeyUse(db, second.id, at);
      expect((await listAdminKeys(db)).items[0]?.last_used_at).toBeInstanceOf(Date);
    } finally {
      await close();
    }
  });
});
