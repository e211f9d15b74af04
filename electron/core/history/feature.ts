/**
 * The host side of the history: opens the store (importing an old history.jsonl once, moving an
 * unreadable database aside), records sampling decisions and gateway tool calls and reads the daily token tally. Its
 * channels are in handlers.ts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { HistoryEntry } from '../../../shared/domain.js';
import type { HistoryRow } from '../../../shared/history.js';
import { localDay } from '../sampling/usage.js';
import { ExportLinks } from './history-export.js';
import { HistoryStore } from './history-store.js';
import { importHistoryJsonl, importNotice } from './jsonl-import.js';

export interface HistoryOptions {
  dataDir: string;
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
    return {
      store: HistoryStore.open(dataDir),
      notice: `history.db could not be read (${code}); it was moved aside as ${aside} and a new history was started.`,
    };
  }
}

export class HistoryFeature {
  /** Web mode's one-time export download addresses. */
  readonly exportLinks = new ExportLinks();

  private constructor(readonly store: HistoryStore) {}

  /** Opens the database, imports an old history.jsonl, applies retention; the notice is for the user. */
  static async open(options: HistoryOptions): Promise<{ feature: HistoryFeature; notice?: string }> {
    const { store, notice: openNotice } = await openOrMoveAside(options.dataDir);
    try {
      // An old file that cannot be read (a directory, no permission, a disk error) must not stop
      // Sluice: it is left where it is (the next start tries again; what was imported stays, and
      // entries keep their ids) and the user is told.
      const importNoticeText = await importHistoryJsonl(store, options.dataDir).then(
        (imported) => imported && importNotice(imported),
        (error: unknown) =>
          `The history in ${path.join(options.dataDir, 'history.jsonl')} could not be read (${(error as Error).message}); it was left as it is and was not imported.`,
      );
      await store.applyRetention();
      const notice = [openNotice, importNoticeText].filter(Boolean).join(' ');
      return { feature: new HistoryFeature(store), notice: notice || undefined };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  record(entry: HistoryEntry): Promise<HistoryRow> {
    return this.store.append(entry);
  }

  /** Tokens a server's sampling used today (its daily budget). */
  tokensUsedToday(serverName: string, now = Date.now()): number {
    return this.store.tokensOn(serverName, localDay(now));
  }

  /** Writes the queued appends now (tests, quitting). */
  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): void {
    this.store.close();
  }
}
