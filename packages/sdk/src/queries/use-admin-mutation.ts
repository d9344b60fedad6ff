import { useMutation, useQueryClient, type QueryKey, type UseMutationReturnType } from "@tanstack/vue-query";

export type AdminMutation<TVars, TData> = UseMutationReturnType<TData, Error, TVars, unknown>;

/**
 * A mutation that invalidates the given query groups once it succeeds. Every admin change also
 * writes an audit row, so the audit group is always invalidated.
 */
export function useAdminMutation<TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>, invalidates: readonly QueryKey[]): AdminMutation<TVars, TData> {
  const queryClient = useQueryClient();
  return useMutation<TData, Error, TVars>({
    mutationFn,
    // Variables can hold a secret value: do not keep a finished mutation around.
    gcTime: 0,
    // Not awaited: the caller hears of its success first (a form may be unmounted by the refetch).
    onSuccess: () => {
      for (const queryKey of [...invalidates, ["keyward", "audit"]]) void queryClient.invalidateQueries({ queryKey });
    },
  });
}
