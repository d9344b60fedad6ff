import { ref, watch } from "vue";

export const themeChoices = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof themeChoices)[number];
const KEY = "keyward.console.theme";

/**
 * The console's theme: "system" follows prefers-color-scheme (the sdk tokens do that by
 * themselves); "light" or "dark" sets data-kw-theme on <html>. A choice other than "system" is
 * remembered in localStorage (the only thing the console keeps there; never a token).
 */
export function createTheme(storage: Storage, root: HTMLElement) {
  const stored = storage.getItem(KEY);
  const choice = ref<ThemeChoice>((themeChoices as readonly string[]).includes(stored ?? "") ? (stored as ThemeChoice) : "system");
  const apply = (value: ThemeChoice) => {
    if (value === "system") {
      root.removeAttribute("data-kw-theme");
      storage.removeItem(KEY);
    } else {
      root.setAttribute("data-kw-theme", value);
      storage.setItem(KEY, value);
    }
  };
  apply(choice.value);
  watch(choice, apply);
  return { choice };
}
export type Theme = ReturnType<typeof createTheme>;
