import { ref } from "vue";

export const pageIds = ["overview", "approvals", "missing", "secrets", "tokens", "audit", "keys"] as const;
export type PageId = (typeof pageIds)[number];

/** A tiny history router for /admin/<page>: the server answers index.html for each of them. */
export function createRouter(base: string, win: Window) {
  const root = base.replace(/\/+$/, "");
  const read = (): PageId => {
    const id = win.location.pathname.slice(root.length).replace(/^\/+|\/+$/g, "");
    return (pageIds as readonly string[]).includes(id) ? (id as PageId) : "overview";
  };
  const current = ref<PageId>(read());
  win.addEventListener("popstate", () => (current.value = read()));
  return {
    current,
    href: (id: PageId) => `${root}/${id}`,
    go(id: PageId) {
      if (id === current.value) return;
      win.history.pushState(null, "", `${root}/${id}`);
      current.value = id;
    },
  };
}
export type Router = ReturnType<typeof createRouter>;
