import { computed, ref, watch } from "vue";
import { useEnvironments } from "@keyward/sdk";

const KEY = "keyward.console.environment";

/**
 * The environment the console acts in: the admin's last choice (remembered in localStorage, a
 * name only), or the instance's default when there is none or it no longer exists. `name` stays
 * undefined until the list has loaded (`pending`), so no page asks in the wrong environment first;
 * a role that may not list environments gets undefined, which the API reads as the default.
 */
export function useCurrentEnvironment(storage: Storage) {
  const environments = useEnvironments();
  const chosen = ref<string | null>(storage.getItem(KEY));
  const items = computed(() => environments.data.value?.items ?? []);
  const current = computed(() => items.value.find((e) => e.name === chosen.value) ?? items.value.find((e) => e.default));
  watch(chosen, (value) => (value ? storage.setItem(KEY, value) : storage.removeItem(KEY)));
  return {
    items,
    current,
    name: computed(() => current.value?.name),
    pending: environments.isPending,
    choose(name: string) {
      chosen.value = name;
    },
  };
}
export type CurrentEnvironment = ReturnType<typeof useCurrentEnvironment>;
