import { inject, ref, type InjectionKey, type Ref } from "vue";

export interface Toast {
  id: number;
  tone: "ok" | "danger" | "info";
  text: string;
}

export interface Toasts {
  items: Ref<Toast[]>;
  /** A mutation's success; it disappears after a few seconds. */
  success(text: string): void;
  /** A mutation's failure; it stays until dismissed, so nobody misses it. */
  error(text: string): void;
  info(text: string): void;
  dismiss(id: number): void;
}

export const toastsKey: InjectionKey<Toasts> = Symbol("keyward-toasts");
const SUCCESS_MS = 6000;

/** The toast queue of one app (createKeywardAdmin provides one; <KwToasts> shows it). */
export function createToasts(): Toasts {
  const items = ref<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => (items.value = items.value.filter((toast) => toast.id !== id));
  const push = (tone: Toast["tone"], text: string, ms: number | null) => {
    const id = next++;
    // Keep the queue short: the oldest leave first.
    items.value = [...items.value.slice(-3), { id, tone, text }];
    if (ms !== null) setTimeout(() => dismiss(id), ms);
  };
  return { items, dismiss, success: (text) => push("ok", text, SUCCESS_MS), error: (text) => push("danger", text, null), info: (text) => push("info", text, SUCCESS_MS) };
}

// Components used without the plugin still work; their toasts go to a queue nobody shows.
let orphan: Toasts | undefined;

/** The app's toasts: components report each mutation's result here. */
export function useToasts(): Toasts {
  return inject(toastsKey, null) ?? (orphan ??= createToasts());
}
