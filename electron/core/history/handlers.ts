/**
 * The `history:*` channels: pages, counts, one entry, the filter menus, usage, export, delete and
 * retention, all answered by the history database (see history-store.ts).
 */
import type { HandlersFor } from '../handlers.js';
import { exportFileName, exportHistoryToFile, type ExportLinks } from './history-export.js';
import type { HistoryStore } from './history-store.js';

export type HistoryChannel =
  | 'history:page'
  | 'history:count'
  | 'history:get'
  | 'history:facets'
  | 'history:usage'
  | 'history:export'
  | 'history:delete'
  | 'history:retention'
  | 'history:setRetention';

export interface HistoryHandlerServices {
  history: HistoryStore;
  /** Desktop only: the native save dialog; undefined when cancelled. */
  pickSaveFile?: (defaultName: string) => Promise<string | undefined>;
  /** Web mode (no save dialog): one-time download addresses the web bridge serves. */
  exportLinks: ExportLinks;
}

export function historyHandlers({ history, pickSaveFile, exportLinks }: HistoryHandlerServices): HandlersFor<HistoryChannel> {
  return {
    'history:page': ({ filter, cursor, limit }) => history.page(filter, cursor, limit),
    'history:count': ({ filter }) => {
      // Read in one go (no await between): nothing is appended between the counts and upTo.
      const upTo = history.newestSeq();
      return { count: history.count(filter), total: history.count({}), upTo };
    },
    'history:get': ({ id }) => history.get(id) ?? null,
    'history:facets': ({ serverName }) => history.facets(serverName),
    /** Requests, tokens and estimated cost per server per day (the SQL tally). */
    'history:usage': () => history.usage(),
    'history:export': async ({ filter, format }) => {
      if (!pickSaveFile) return { count: history.count(filter), download: exportLinks.issue(filter, format) };
      const path = await pickSaveFile(exportFileName(format));
      if (!path) return { count: 0 };
      return { path, count: await exportHistoryToFile(history, filter, format, path) };
    },
    'history:delete': async ({ filter, upTo }) => ({ deleted: await history.delete(filter, upTo) }),
    'history:retention': () => history.retention(),
    'history:setRetention': async ({ retention }) => ({ removed: await history.setRetention(retention) }),
  };
}
