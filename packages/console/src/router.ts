import { ref } from "vue";

export const pageIds = ["overview", "approvals", "change-requests", "missing", "secrets", "matrix", "environments", "tokens", "audit", "keys", "notifications"] as const;
export type PageId = (typeof pageIds)[number];

/**
 * A tiny history router for /admin/<page>[?filters]: the server answers index.html for each of
 * them. `query` holds the page's filters (e.g. the overview links to secrets?rotation=overdue).
 */
export function createRouter(base: string, win: Window) {
  const root = base.replace(/\/+$/, "");
  const read = (): PageId => {
    const id = win.location.pathname.slice(root.length).replace(/^\/+|\/+$/g, "");
    return (pageIds as readonly string[]).includes(id) ? (id as PageId) : "overview";
  };
  const current = ref<PageId>(read());
  const query = ref<string>(win.location.search);
  win.addEventListener("popstate", () => {
    current.value = read();
    query.value = win.location.search;
  });
  const href = (id: PageId, params?: Record<string, string>) => {
    const search = params ? new URLSearchParams(params).toString() : "";
    return `${root}/${id}${search ? `?${search}` : ""}`;
  };
  return {
    current,
    query,
    href,
    go(id: PageId, params?: Record<string, string>) {
      const to = href(id, params);
      if (to === `${win.location.pathname}${win.location.search}`) return;
      win.history.pushState(null, "", to);
      current.value = id;
      query.value = win.location.search;
    },
  };
}
export type Router = ReturnType<typeof createRouter>;
