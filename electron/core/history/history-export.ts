/**
 * Export streams the filtered history, 500 entries at a time, to a file the user chose (desktop)
 * or an HTTP response (web mode): memory stays flat however many entries there are.
 * JSON lines carry everything (a sampling entry exactly as recorded, with its `kind`); CSV carries
 * the row columns, with cells that a spreadsheet would run as a formula defused.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { HISTORY_CSV_COLUMNS, type HistoryDetail, type HistoryExportFormat, type HistoryFilter } from '../../../shared/history.js';
import type { HistoryStore } from './history-store.js';

export function exportFileName(format: HistoryExportFormat, exportedAt = Date.now()): string {
  return `sluice-history-${new Date(exportedAt).toISOString().slice(0, 10)}.${format}`;
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  // A leading = + - @ (or tab/CR) makes spreadsheets evaluate the cell: keep it text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonLine(detail: HistoryDetail): string {
  const value = detail.entry ? { kind: detail.row.kind, ...detail.entry } : { ...detail.row, request: detail.request, answer: detail.answer };
  return `${JSON.stringify(value)}\n`;
}

function csvLine(detail: HistoryDetail): string {
  const row = detail.row as Record<string, string | number | undefined>;
  return `${HISTORY_CSV_COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`;
}

/** Writes the matching entries to `out` (not ended here); returns how many. */
export async function writeHistory(store: HistoryStore, filter: HistoryFilter, format: HistoryExportFormat, out: Writable): Promise<number> {
  let count = 0;
  if (format === 'csv') out.write(`${HISTORY_CSV_COLUMNS.join(',')}\r\n`);
  for await (const batch of store.entries(filter)) {
    const text = batch.map(format === 'csv' ? csvLine : jsonLine).join('');
    count += batch.length;
    if (!out.write(text)) await once(out, 'drain');
  }
  return count;
}

/** Exports to a file (created 0600: it holds the user's messages); returns how many entries. */
export async function exportHistoryToFile(store: HistoryStore, filter: HistoryFilter, format: HistoryExportFormat, file: string): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  const opened = once(out, 'open');
  await opened;
  try {
    const count = await writeHistory(store, filter, format, out);
    out.end();
    await once(out, 'finish');
    return count;
  } catch (error) {
    out.destroy();
    throw error;
  }
}
