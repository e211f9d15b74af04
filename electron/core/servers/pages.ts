/**
 * Walks a paginated MCP list (`tools/list`, `resources/list`, `resources/templates/list`,
 * `prompts/list`, `tasks/list`) by following `nextCursor`. The server controls the cursor, so the
 * walk is bounded: a page count and an item count cap it, and a cursor seen before ends it (a
 * server that loops would otherwise keep us busy forever). What was collected so far is kept and
 * the caller is told why the walk stopped, so a user sees the first items and a note instead of
 * an error.
 */
export const MAX_LIST_PAGES = 50;
export const MAX_LIST_ITEMS = 5_000;

export interface Page<T> {
  items: readonly T[];
  nextCursor?: string;
}

export interface Walked<T> {
  items: T[];
  pages: number;
  /** Why the walk stopped before the server said it was done (absent when the list is complete). */
  truncated?: string;
}

export async function walkPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  limits: { maxPages?: number; maxItems?: number } = {},
): Promise<Walked<T>> {
  const maxPages = limits.maxPages ?? MAX_LIST_PAGES;
  const maxItems = limits.maxItems ?? MAX_LIST_ITEMS;
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    pages++;
    items.push(...page.items.slice(0, maxItems - items.length));
    const next = typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : undefined;
    if (next === undefined) return { items, pages };
    if (items.length >= maxItems) return { items, pages, truncated: `stopped at ${maxItems} items; the server has more` };
    if (pages >= maxPages) return { items, pages, truncated: `stopped after ${maxPages} pages; the server has more` };
    if (seen.has(next)) return { items, pages, truncated: `the server sent the same cursor twice (after ${pages} pages)` };
    seen.add(next);
    cursor = next;
  }
}
