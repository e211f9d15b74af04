/**
 * The one-time move from the old `history.jsonl` to the database. The file is streamed in chunks,
 * never read into one string, and a line longer than MAX_LINE is skipped without being buffered,
 * so no history file, however large or broken, can stop Sluice from starting. Unreadable lines are
 * skipped and counted. Afterwards the file is kept, renamed to `history.jsonl.imported`.
 *
 * Entries are inserted with their ids (INSERT OR IGNORE), so an import interrupted by a crash
 * simply runs again at the next start without duplicating anything.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { HistoryEntrySchema } from '../../../shared/domain.js';
import { recordOf, type HistoryRecord } from './history-record.js';
import type { HistoryStore } from './history-store.js';

/** The longest line taken as an entry (a few MB of messages is already unusual). */
const MAX_LINE = 16 * 1024 * 1024;
const BATCH = 1_000;

export interface ImportResult {
  imported: number;
  skipped: number;
  renamedTo: string;
}

/** Splits a byte stream into lines; lines over `maxLine` bytes come out as `undefined`. */
export async function* streamLines(file: string, maxLine = MAX_LINE): AsyncGenerator<string | undefined> {
  let parts: Buffer[] = [];
  let length = 0;
  let oversized = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      if (!oversized && length + (end - start) <= maxLine) {
        parts.push(chunk.subarray(start, end));
        yield Buffer.concat(parts).toString('utf8');
      } else {
        yield undefined;
      }
      parts = [];
      length = 0;
      oversized = false;
      start = end + 1;
    }
    const rest = chunk.length - start;
    if (rest > 0 && !oversized) {
      if (length + rest > maxLine) {
        oversized = true;
        parts = [];
      } else {
        parts.push(Buffer.from(chunk.subarray(start)));
        length += rest;
      }
    }
  }
  if (oversized) yield undefined;
  else if (length > 0) yield Buffer.concat(parts).toString('utf8');
}

/** Imports `<dataDir>/history.jsonl` when it exists; undefined when there is none. */
export async function importHistoryJsonl(store: HistoryStore, dataDir: string): Promise<ImportResult | undefined> {
  const file = path.join(dataDir, 'history.jsonl');
  try {
    await fs.access(file);
  } catch {
    return undefined;
  }
  let imported = 0;
  let skipped = 0;
  let batch: HistoryRecord[] = [];
  const flush = () => {
    imported += store.insertAll(batch);
    batch = [];
  };
  for await (const line of streamLines(file)) {
    if (line === undefined) {
      skipped += 1;
      continue;
    }
    if (!line.trim()) continue;
    try {
      batch.push(recordOf(HistoryEntrySchema.parse(JSON.parse(line))));
    } catch {
      skipped += 1;
      continue;
    }
    if (batch.length >= BATCH) flush();
  }
  flush();
  let renamedTo = `${file}.imported`;
  try {
    await fs.access(renamedTo);
    renamedTo = `${file}.imported-${Date.now()}`;
  } catch {
    // the usual name is free
  }
  await fs.rename(file, renamedTo);
  return { imported, skipped, renamedTo };
}

export function importNotice(result: ImportResult): string | undefined {
  if (result.skipped === 0) return undefined;
  return `The history moved to a database: ${result.imported} entries were imported and ${result.skipped} unreadable line(s) were skipped; the old file is kept as ${result.renamedTo}.`;
}
