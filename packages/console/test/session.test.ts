import { beforeEach, describe, expect, it } from "vitest";
import { createSession } from "../src/session.js";

const TOKEN = "kwa_" + "a".repeat(43);

describe("the console session", () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("keeps the token in memory only unless asked to remember it", () => {
    const session = createSession(sessionStorage);
    expect(session.token.value).toBeUndefined();
    session.signIn(TOKEN, false);
    expect(session.token.value).toBe(TOKEN);
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
    // A new page load (a new session object) starts signed out.
    expect(createSession(sessionStorage).token.value).toBeUndefined();
  });

  it("remembers the token in sessionStorage when asked, and restores it on reload", () => {
    createSession(sessionStorage).signIn(TOKEN, true);
    expect(Object.values({ ...sessionStorage })).toEqual([TOKEN]);
    expect(localStorage.length).toBe(0);
    const reloaded = createSession(sessionStorage);
    expect(reloaded.restored).toBe(true);
    expect(reloaded.token.value).toBe(TOKEN);
  });

  it("forgets the token everywhere on sign-out, and when signing in again without remember", () => {
    const session = createSession(sessionStorage);
    session.signIn(TOKEN, true);
    session.signOut();
    expect(session.token.value).toBeUndefined();
    expect(sessionStorage.length).toBe(0);
    session.signIn(TOKEN, true);
    session.signIn(TOKEN, false);
    expect(sessionStorage.length).toBe(0);
  });
});
