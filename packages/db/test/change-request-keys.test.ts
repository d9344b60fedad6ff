import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { approveChangeRequest, createChangeRequest, createKeyringEnvelope, getEnvironmentByName, openChangeRequestValue, retireKek, rewrapDataKeys, rotateKek, type KeywardDatabase } from "../src/index.js";
import { backends } from "./harness.js";

// A value held by a pending change request is a data key under the KEK like a value: `keys rewrap`
// moves it, and a KEK that still wraps one cannot be retired, so a rotation never strands it.
const open: KeywardDatabase[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});

describe.each(backends)("values held by change requests across a KEK rotation on %s", (_kind, fresh) => {
  it("are counted by retire, moved by rewrap, and still open after the old KEK is retired", async () => {
    const database = await fresh();
    open.push(database);
    const { db } = database;
    const master = randomBytes(32);
    const change = { auditKey: randomBytes(32), actor: "ops", at: new Date() };
    const envelope = await createKeyringEnvelope(db, master, change);
    const oldKek = envelope.activeKeyId;
    const production = (await getEnvironmentByName(db, "production"))!;
    const value = "sk_live_held_" + randomBytes(8).toString("hex");
    const held = await createChangeRequest(db, envelope, { environmentId: production.id, kind: "secret.set_value", target: "secret:HELD", payload: { name: "HELD" }, value, requestedBy: "admin:a", requestedByOwner: "alice", at: change.at });

    expect((await rotateKek(db, master, change)).kind).toBe("ok");
    await envelope.reload!();
    expect(await retireKek(db, oldKek, change)).toEqual({ kind: "in_use", dataKeys: 1 });
    expect(await rewrapDataKeys(db, envelope, change)).toEqual({ rewrapped: 1, remaining: 0 });
    expect(await retireKek(db, oldKek, change)).toEqual({ kind: "ok", id: oldKek });
    const rows = await db.selectFrom("audit_log").select("reason").where("action", "=", "keys.rewrap").execute();
    expect(rows).toEqual([{ reason: "1 values held by change requests" }]);

    // A restarted service has only the new KEK; the approved request still opens its value.
    const restarted = await createKeyringEnvelope(db, master, change);
    expect(restarted.hasKey(oldKek)).toBe(false);
    expect(await approveChangeRequest(db, { id: held.id, actor: "admin:b", owner: "bob", at: change.at })).toMatchObject({ kind: "ok", ready: true });
    expect(await openChangeRequestValue(db, restarted, held.id)).toBe(value);
  });
});
