// The interactive review through a real pseudo-terminal: keystrokes in, screen out, against the
// real service (the CLI runs as a child process and talks to it over loopback).
import { unwrap } from "@keyward/admin-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { useService } from "./harness.js";
import { KEY, spawnInPty } from "./pty.js";
import { adminOf, loggedIn, registerService, tokenOf, type TestService } from "./support.js";

const sut = useService();
const services: TestService[] = [];
const SECRET_VALUE = "sk_live_never_on_screen_42";

beforeAll(async () => {
  const admin = adminOf(sut);
  await unwrap(admin.POST("/api/secrets", { body: { name: "PAYMENT_KEY", description: "Card processor key for payouts", value: SECRET_VALUE } }));
  const ledger = await registerService(sut, "ledger", { version: "7.2.0", secrets: { PAYMENT_KEY: "Card processor key for payouts", AUDIT_BUCKET: "Bucket for ledger exports" } });
  await unwrap(admin.POST("/api/service-tokens/{id}/approve", { params: { path: { id: (await tokenOf(sut, "ledger")).id } } }));
  await ledger.ask(["PAYMENT_KEY", "AUDIT_BUCKET"]);
  services.push(ledger, await registerService(sut, "search", { version: "1.0.3" }));
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

describe("keyward approvals (interactive review in a pseudo-terminal)", () => {
  it("shows each pending item, moves with arrows and j/k, approves, denies and skips, and shows each result", async () => {
    const session = spawnInPty(["approvals"], loggedIn(sut));
    try {
      await session.waitFor(/Keyward approvals: 3 pending in development/);
      // The first item is the pending token, with its service, version and where it registered from.
      await session.waitFor(/Service token \S+\s+service\s+search\s+version\s+1\.0\.3\s+from\s+127\.0\.0\.1\s+environment\s+development/);
      session.write(KEY.down);
      await session.waitFor(/Access request \S+\s+service\s+ledger\s+secret\s+(PAYMENT_KEY|AUDIT_BUCKET)/);
      session.write("k"); // back up to the token
      await session.waitFor(/Service token \S+\s+service\s+search/);
      session.write("a");
      await session.waitFor(/approved token for search 1\.0\.3 \(development\)/);
      // The cursor moved to the next open item: an access request; skip it, then deny the other.
      const first = await session.waitFor(/Access request \S+\s+service\s+ledger\s+secret\s+(\w+)\s+description\s+([^\n]+)/);
      session.write("s");
      await session.waitFor(new RegExp(`skipped ledger \\(${first[1]}\\)`));
      const second = await session.waitFor(/Access request \S+\s+service\s+ledger\s+secret\s+(\w+)/);
      expect(second[1]).not.toBe(first[1]);
      session.write("d");
      await session.waitFor(new RegExp(`denied: ledger asks to read ${second[1]} \\(development\\)`));
      // Everything decided or skipped: the summary, exit 0.
      await session.waitFor(/done: 1 approved, 1 denied, 0 held for approval, 1 skipped/);
      expect(await session.exit).toBe(0);
      expect(session.screen()).toMatch(/description\s+(Card processor key for payouts|Bucket for ledger exports)/);
      expect(session.screen()).not.toContain(SECRET_VALUE);
      for (const s of services) expect(session.screen()).not.toContain(s.token);
    } finally {
      session.kill();
    }
    const tokens = (await unwrap(adminOf(sut).GET("/api/service-tokens", { params: { query: { service: "search" } } }))).items;
    expect(tokens.map((t) => t.status)).toEqual(["approved"]);
    const requests = (await unwrap(adminOf(sut).GET("/api/access-requests", { params: { query: { service: "ledger" } } }))).items;
    expect(requests.map((r) => r.status).sort()).toEqual(["denied", "pending"]);
  });

  it("q quits leaving the rest pending; a protected environment's approval shows as held", async () => {
    await unwrap(adminOf(sut).PATCH("/api/environments/{name}", { params: { path: { name: "production" } }, body: { protected: true } }));
    const prod = await registerService(sut, "gateway", { version: "9.9.9", environment: "production" });
    services.push(prod);
    const session = spawnInPty(["approvals", "--all-environments"], loggedIn(sut));
    try {
      await session.waitFor(/Keyward approvals: 2 pending in development, production/);
      // The first is the development access request that was skipped before; move to the token.
      session.write("j");
      await session.waitFor(/Service token \S+\s+service\s+gateway\s+version\s+9\.9\.9/);
      session.write("a");
      await session.waitFor(/token for gateway 9\.9\.9: held for a second approver: change request \S+ \(production is protected/);
      session.write("q");
      await session.waitFor(/done: 0 approved, 0 denied, 1 held for approval, 1 skipped/);
      expect(await session.exit).toBe(0);
    } finally {
      session.kill();
    }
    expect((await tokenOf(sut, "gateway", "production")).status).toBe("pending");
  });

  it("Ctrl-C aborts with exit 1 and says nothing more was written; nothing pending says so and exits 0", async () => {
    const session = spawnInPty(["approvals"], loggedIn(sut));
    try {
      await session.waitFor(/Keyward approvals: 1 pending/);
      session.write(KEY.ctrlC);
      await session.waitFor(/error: aborted; nothing more was written/);
      expect(await session.exit).toBe(EXIT.failed);
    } finally {
      session.kill();
    }
    const empty = spawnInPty(["approvals", "--environment", "staging"], loggedIn(sut));
    try {
      await empty.waitFor(/nothing waits for approval in staging/);
      expect(await empty.exit).toBe(0);
    } finally {
      empty.kill();
    }
  });
});
