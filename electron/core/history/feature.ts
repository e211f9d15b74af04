/**
 * The host side of the history: opens the store (importing an old history.jsonl once), records
 * sampling decisions, and serves the paged history channels. The host merges `handlers()` into its own.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { InvokeResponse, parseInvokeRequest } from '../../../shared/contract.js';
import type { HistoryEntry } from '../../../shared/domain.js';
import type { HistoryRow } from '../../../shared/history.js';
import { localDay } from '../sampling/usage.js';
import { exportFileName, exportHistoryToFile } from './history-export.js';
import { HistoryStore } from './history-store.js';
import { importHistoryJsonl, importNotice } from './jsonl-import.js';

type FeatureChannel =
  | 'history:page'
  | 'history:count'
  | 'history:get'
  | 'history:facets'
  | 'history:usage'
  | 'history:export'
  | 'history:delete'
  | 'history:retention'
  | 'history:setRetention';

export type HistoryHandlers = {
  [C in FeatureChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export interface HistoryOptions {
  dataDir: string;
  /** Desktop only: the native save dialog; undefined when cancelled. Web mode downloads instead. */
  pickSaveFile?: (defaultName: string) => Promise<string | undefined>;
}

/**
 * A history.db that SQLite cannot read (not a database, corrupt) must not stop Sluice: it is moved
 * aside with its WAL files, like any other corrupt file, and a new one is started.
 */
async function openOrMoveAside(dataDir: string): Promise<{ store: HistoryStore; notice?: string }> {
  try {
    return { store: HistoryStore.open(dataDir) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error;
    const file = path.join(dataDir, 'history.db');
    const aside = `${file}.corrupt-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) await fs.rename(file + suffix, aside + suffix).catch(() => undefined);
    return { store: HistoryStore.open(dataDir), notice: `history.db could not be read (${code}); it was moved aside as ${aside} and a new history was started.` };
  }
}

export class HistoryFeature {
  private constructor(
    readonly store: HistoryStore,
    private readonly options: HistoryOptions,
  ) {}

  /** Opens the database, imports an old history.jsonl, applies retention; the notice is for the user. */
  static async open(options: HistoryOptions): Promise<{ feature: HistoryFeature; notice?: string }> {
    const { store, notice: openNotice } = await openOrMoveAside(options.dataDir);
    try {
      const imported = await importHistoryJsonl(store, options.dataDir);
      await store.applyRetention();
      const notice = [openNotice, imported && importNotice(imported)].filter(Boolean).join(' ');
      return { feature: new HistoryFeature(store, options), notice: notice || undefined };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  record(entry: HistoryEntry): Promise<HistoryRow> {
    return this.store.appendSampling(entry);
  }

  /** Tokens a server's sampling used today (its daily budget). */
  tokensUsedToday(serverName: string, now = Date.now()): number {
    return this.store.tokensOn(serverName, localDay(now));
  }

  close(): void {
    this.store.close();
  }

  handlers(): HistoryHandlers {
    const { store } = this;
    return {
      'history:page': ({ filter, cursor, limit }) => store.page(filter, cursor, limit),
      'history:count': ({ filter }) => {
        // Read in one go (no await between): nothing is appended between the counts and upTo.
        const upTo = store.newestSeq();
        return { count: store.count(filter), total: store.count({}), upTo };
      },
      'history:get': ({ id }) => store.get(id) ?? null,
      'history:facets': () => store.facets(),
      'history:usage': () => store.usage(),
      'history:export': async ({ filter, format }) => {
        if (!this.options.pickSaveFile) throw new Error('Web mode downloads the export from the page instead');
        const path = await this.options.pickSaveFile(exportFileName(format));
        if (!path) return { count: 0 };
        return { path, count: await exportHistoryToFile(store, filter, format, path) };
      },
      'history:delete': async ({ filter, upTo }) => ({ deleted: await store.delete(filter, upTo) }),
      'history:retention': () => store.retention(),
      'history:setRetention': async ({ retention }) => ({ removed: await store.setRetention(retention) }),
    };
  }
}
