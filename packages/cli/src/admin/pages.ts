/** Most rows a command collects across pages before it stops and says so (a guard, not a limit a person meets). */
export const MAX_ROWS = 10_000;

/** Every item of a paged admin list: asks for the next page with `nextCursor` until there is none. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.nextCursor ?? undefined;
  } while (cursor !== undefined && items.length < MAX_ROWS);
  return items;
}
