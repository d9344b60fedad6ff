import { computed, ref } from "vue";

/** Keyset pagination: remembers the cursors of the pages behind us so "previous" works too. */
export type CursorPages = ReturnType<typeof useCursorPages>;

export function useCursorPages() {
  const stack = ref<(string | undefined)[]>([undefined]);
  const cursor = computed(() => stack.value[stack.value.length - 1]);
  return {
    cursor,
    hasPrevious: computed(() => stack.value.length > 1),
    page: computed(() => stack.value.length),
    next(nextCursor: string | null | undefined) {
      if (nextCursor) stack.value = [...stack.value, nextCursor];
    },
    previous() {
      if (stack.value.length > 1) stack.value = stack.value.slice(0, -1);
    },
    reset() {
      stack.value = [undefined];
    },
  };
}
