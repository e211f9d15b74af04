/** Paging through the history store in tests. */
import type { HistoryStore } from '../../electron/core/history/history-store.js';
import type { HistoryFilter } from '../../shared/history.js';

/** Every id a filter yields, page by page (small pages cross many cursors). */
export function allIds(store: HistoryStore, filter: HistoryFilter, limit: number): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = store.page(filter, cursor, limit);
    ids.push(...page.rows.map((row) => row.id));
    if (!page.next) return ids;
    cursor = page.next;
  }
  throw new Error('paging never ended');
}
