import { nextTick } from "vue";
import { describe, expect, it } from "vitest";
import { createTheme } from "../src/theme.js";

describe("the console theme", () => {
  it("follows the system by default, and remembers light or dark in localStorage", async () => {
    localStorage.clear();
    const root = document.documentElement;
    const theme = createTheme(localStorage, root);
    expect(theme.choice.value).toBe("system");
    expect(root.hasAttribute("data-kw-theme")).toBe(false);
    expect(localStorage.length).toBe(0);

    theme.choice.value = "dark";
    await nextTick();
    expect(root.getAttribute("data-kw-theme")).toBe("dark");
    expect(localStorage.getItem("keyward.console.theme")).toBe("dark");
    // A new page load starts from the remembered choice.
    expect(createTheme(localStorage, root).choice.value).toBe("dark");

    theme.choice.value = "system";
    await nextTick();
    expect(root.hasAttribute("data-kw-theme")).toBe(false);
    expect(localStorage.length).toBe(0);
  });

  it("ignores a stored value it does not know", () => {
    localStorage.setItem("keyward.console.theme", "neon");
    expect(createTheme(localStorage, document.documentElement).choice.value).toBe("system");
  });
});
