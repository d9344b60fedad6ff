import { describe, expect, it } from "vitest";
import { createRouter } from "../src/router.js";

describe("the console router", () => {
  it("reads the page from the path under /admin/, defaulting to the overview", () => {
    window.history.replaceState(null, "", "/admin/audit");
    expect(createRouter("/admin/", window).current.value).toBe("audit");
    window.history.replaceState(null, "", "/admin/");
    expect(createRouter("/admin/", window).current.value).toBe("overview");
    window.history.replaceState(null, "", "/admin/../etc/passwd");
    expect(createRouter("/admin/", window).current.value).toBe("overview");
  });

  it("pushes history on navigation and follows back/forward", async () => {
    window.history.replaceState(null, "", "/admin/secrets");
    const router = createRouter("/admin/", window);
    expect(router.href("tokens")).toBe("/admin/tokens");
    router.go("tokens");
    expect(window.location.pathname).toBe("/admin/tokens");
    expect(router.current.value).toBe("tokens");
    window.history.replaceState(null, "", "/admin/approvals");
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(router.current.value).toBe("approvals");
  });

  it("carries a page's filters in the query string", () => {
    window.history.replaceState(null, "", "/admin/");
    const router = createRouter("/admin/", window);
    expect(router.href("secrets", { rotation: "overdue" })).toBe("/admin/secrets?rotation=overdue");
    router.go("secrets", { rotation: "overdue" });
    expect([window.location.pathname, window.location.search, router.current.value, router.query.value]).toEqual(["/admin/secrets", "?rotation=overdue", "secrets", "?rotation=overdue"]);
    // The same page without filters is a navigation too.
    router.go("secrets");
    expect([window.location.search, router.query.value]).toEqual(["", ""]);
  });

  it("opens the Notifications page with a notification link's ?channel=, and picking another channel moves it", () => {
    window.history.replaceState(null, "", "/admin/notifications?channel=ops-hook");
    const router = createRouter("/admin/", window);
    expect([router.current.value, new URLSearchParams(router.query.value).get("channel")]).toEqual(["notifications", "ops-hook"]);
    router.go("notifications", { channel: "team-slack" });
    expect([window.location.pathname, window.location.search, router.current.value]).toEqual(["/admin/notifications", "?channel=team-slack", "notifications"]);
  });
});
