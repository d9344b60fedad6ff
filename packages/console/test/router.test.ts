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
});
