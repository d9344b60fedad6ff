import { ref } from "vue";

const STORAGE_KEY = "keyward.admin-token";

/**
 * Where the admin token lives: in memory by default; in sessionStorage only when the admin ticks
 * "remember". Never localStorage, never a cookie.
 */
export function createSession(storage: Pick<Storage, "getItem" | "setItem" | "removeItem">) {
  const remembered = storage.getItem(STORAGE_KEY);
  const token = ref<string | undefined>(remembered ?? undefined);
  return {
    token,
    restored: remembered !== null,
    signIn(value: string, remember: boolean) {
      token.value = value;
      if (remember) storage.setItem(STORAGE_KEY, value);
      else storage.removeItem(STORAGE_KEY);
    },
    signOut() {
      token.value = undefined;
      storage.removeItem(STORAGE_KEY);
    },
  };
}
export type Session = ReturnType<typeof createSession>;
