/**
 * The history slice: the History view's state, kept apart from the main store: the filter, the rows loaded so far
 * (page by page as the list scrolls), the count, and the one entry whose details are open.
 * The host holds the history; the renderer only ever has the pages the user scrolled through.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type { HistoryDetail, HistoryExportFormat, HistoryFilter, HistoryRetention, HistoryRow } from '../../../shared/history';
import { errorMessage } from '../lib/format';
import { toast } from './app';
import { host } from './host';

export const PAGE_SIZE = 100;

interface HistoryState {
  filter: HistoryFilter;
  rows: HistoryRow[];
  /** Cursor of the next (older) page; undefined when everything matching is loaded. */
  next: string | undefined;
  /** The first page for the current filter has arrived. */
  loaded: boolean;
  loadingMore: boolean;
  error: string | undefined;
  /** Matching entries, all entries, and the newest entry's position when counted (for delete). */
  count: { count: number; total: number; upTo: number } | undefined;
  /** What the filter menus offer; `tools` are those of the chosen server, or of every server. */
  facets: { servers: string[]; apps: string[]; tools: string[]; models: string[] };
  selectedId: string | null;
  /** The open entry's details (null: deleted meanwhile; undefined: loading). */
  detail: HistoryDetail | null | undefined;
  retention: HistoryRetention;
}

/** The first state (also what resetHistory returns to). */
const initialHistory = (): HistoryState => ({
  filter: {},
  rows: [],
  next: undefined,
  loaded: false,
  loadingMore: false,
  error: undefined,
  count: undefined,
  facets: { servers: [], apps: [], tools: [], models: [] },
  selectedId: null,
  detail: undefined,
  retention: { mode: 'all' },
});

export const useHistory = create<HistoryState>()(initialHistory);

const set = useHistory.setState;
const get = useHistory.getState;

/** Responses for an older filter are dropped: only the latest request may fill the list. */
let generation = 0;

export function isFiltered(filter: HistoryFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined && value !== '');
}

/** Loads the first page and the count for `filter` (replacing what is shown). */
export async function loadHistory(filter: HistoryFilter = get().filter): Promise<void> {
  const mine = ++generation;
  const filterChanged = JSON.stringify(filter) !== JSON.stringify(get().filter);
  set({ filter, loadingMore: false, error: undefined });
  const api = host();
  // The rows first, the count after them: the host answers in order, and counting a search over
  // a big history takes longer than a page (asked first, it would hold the page up).
  try {
    const page = await api.invoke('history:page', { filter, limit: PAGE_SIZE });
    if (mine !== generation) return;
    set({ rows: page.rows, next: page.next, loaded: true });
    // New filters that leave the open entry out close its pane (it would describe a row the list no longer shows).
    const { selectedId } = get();
    if (filterChanged && selectedId !== null && !page.rows.some((row) => row.id === selectedId))
      set({ selectedId: null, detail: undefined });
    const count = await api.invoke('history:count', { filter });
    if (mine === generation) set({ count });
  } catch (error) {
    if (mine === generation) set({ error: `Could not load the history: ${errorMessage(error)}`, loaded: true });
  }
}

/** The next page, when the list scrolls near its end. */
export async function loadMore(): Promise<void> {
  const { next, loadingMore, filter } = get();
  if (!next || loadingMore) return;
  const mine = generation;
  set({ loadingMore: true });
  try {
    const page = await host().invoke('history:page', { filter, cursor: next, limit: PAGE_SIZE });
    if (mine !== generation) return;
    set((s) => ({ rows: [...s.rows, ...page.rows], next: page.next, loadingMore: false }));
  } catch (error) {
    if (mine === generation) set({ loadingMore: false, error: `Could not load more history: ${errorMessage(error)}` });
  }
}

export function setFilter(patch: Partial<HistoryFilter>): void {
  const before = get().filter;
  const filter: HistoryFilter = { ...before, ...patch };
  for (const key of Object.keys(filter) as Array<keyof HistoryFilter>) {
    if (filter[key] === undefined || filter[key] === '') delete filter[key];
  }
  void loadHistory(filter);
  // The Tool menu offers the chosen server's tools.
  if (filter.serverName !== before.serverName) void refreshFacets();
}

export function clearFilter(): void {
  void loadHistory({});
  void refreshFacets();
}

export async function refreshFacets(): Promise<void> {
  const { serverName } = get().filter;
  try {
    const facets = await host().invoke('history:facets', serverName === undefined ? {} : { serverName });
    if (get().filter.serverName === serverName) set({ facets });
  } catch {
    // The menus keep what they had.
  }
}

/** Opens one entry in the detail pane, loading it from the host. */
export async function selectEntry(id: string | null): Promise<void> {
  set({ selectedId: id, detail: undefined });
  if (id === null) return;
  try {
    const detail = await host().invoke('history:get', { id });
    if (get().selectedId === id) set({ detail });
  } catch (error) {
    if (get().selectedId === id) set({ detail: null, error: `Could not load the entry: ${errorMessage(error)}` });
  }
}

/** Whether a new row belongs in the list the user is looking at (text search is the host's job). */
function matches(row: HistoryRow, filter: HistoryFilter): boolean {
  if (filter.text) return false;
  return (
    (filter.kind === undefined || row.kind === filter.kind) &&
    (filter.serverName === undefined || row.serverName === filter.serverName) &&
    (filter.app === undefined || row.app === filter.app) &&
    (filter.tool === undefined || row.tool === filter.tool) &&
    (filter.outcome === undefined || row.outcome === filter.outcome) &&
    (filter.decision === undefined || row.decision === filter.decision) &&
    (filter.model === undefined || row.model === filter.model) &&
    (filter.from === undefined || row.decidedAt >= filter.from) &&
    (filter.to === undefined || row.decidedAt < filter.to)
  );
}

function rowAdded(row: HistoryRow): void {
  set((s) => {
    if (!s.loaded || s.rows.some((r) => r.id === row.id)) return {};
    const shown = matches(row, s.filter);
    const count = s.count && { ...s.count, total: s.count.total + 1, count: s.count.count + (shown ? 1 : 0) };
    return shown ? { rows: [row, ...s.rows], count } : { count };
  });
  const { facets } = get();
  const unknown = (value: string | undefined, known: string[]) => value !== undefined && !known.includes(value);
  if (
    unknown(row.serverName, facets.servers) ||
    unknown(row.model, facets.models) ||
    unknown(row.app, facets.apps) ||
    unknown(row.tool, facets.tools)
  ) {
    void refreshFacets();
  }
}

/** Deletes exactly the entries the user saw counted; returns how many went. */
export async function deleteShown(): Promise<number | undefined> {
  const { filter, count } = get();
  if (!count) return undefined;
  try {
    const { deleted } = await host().invoke('history:delete', { filter, upTo: count.upTo });
    toast('success', `Deleted ${deleted.toLocaleString()} ${deleted === 1 ? 'entry' : 'entries'}.`);
    set({ selectedId: null, detail: undefined });
    await loadHistory(filter);
    return deleted;
  } catch (error) {
    toast('error', `Could not delete: ${errorMessage(error)}`);
    return undefined;
  }
}

export async function refreshRetention(): Promise<void> {
  try {
    set({ retention: await host().invoke('history:retention', {}) });
  } catch {
    // keeps the default
  }
}

export async function saveRetention(retention: HistoryRetention): Promise<void> {
  try {
    const { removed } = await host().invoke('history:setRetention', { retention });
    set({ retention });
    toast(
      'success',
      removed > 0
        ? `Retention saved; ${removed.toLocaleString()} older ${removed === 1 ? 'entry was' : 'entries were'} removed.`
        : 'Retention saved.',
    );
    if (removed > 0) await loadHistory();
  } catch (error) {
    toast('error', `Could not save the retention setting: ${errorMessage(error)}`);
  }
}

/**
 * Export what the filters show: the desktop app asks where to save and writes the file; web mode
 * gets a one-time address from the host and the browser downloads the stream from it.
 */
export async function exportShown(format: HistoryExportFormat): Promise<void> {
  const { filter } = get();
  try {
    const { path, count, download } = await host().invoke('history:export', { filter, format });
    if (download) {
      const link = document.createElement('a');
      link.href = download;
      link.download = '';
      document.body.appendChild(link);
      link.click();
      link.remove();
      return;
    }
    if (path) toast('success', `Exported ${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'} to ${path}.`);
  } catch (error) {
    toast('error', `Could not export: ${errorMessage(error)}`);
  }
}

/** Reloads what the History view shows, if it has loaded anything (start, reconnect, Reload). */
export async function refreshHistory(): Promise<void> {
  if (get().loaded) await loadHistory();
}

/** The slice back to its first state (unit tests start each case from nothing). */
export function resetHistory(): void {
  generation++;
  set(initialHistory(), true);
}

/** Subscribes to new entries; returns the unsubscribe. The view loads its first page when it opens (refreshAll reloads it). */
export function startHistory(api: SluiceApi): () => void {
  return api.on('history:added', rowAdded);
}
