/**
 * Export streams the filtered history, 500 entries at a time, to a file the user chose (desktop)
 * or an HTTP response (web mode): memory stays flat however many entries there are.
 * JSON lines carry everything (a sampling entry exactly as recorded, with its `kind`); CSV carries
 * the row columns, with cells that a spreadsheet would run as a formula defused.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  HISTORY_CSV_COLUMNS,
  HISTORY_EXPORT_PATH,
  type HistoryDetail,
  type HistoryExportFormat,
  type HistoryFilter,
} from '../../../shared/history.js';
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
  return `${JSON.stringify({ kind: detail.row.kind, ...detail.entry })}\n`;
}

function csvLine(detail: HistoryDetail): string {
  const row = detail.row as Record<string, string | number | undefined>;
  return `${HISTORY_CSV_COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`;
}

/** Writes the matching entries to `out` (not ended here); returns how many. */
export async function writeHistory(
  store: HistoryStore,
  filter: HistoryFilter,
  format: HistoryExportFormat,
  out: Writable,
): Promise<number> {
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
export async function exportHistoryToFile(
  store: HistoryStore,
  filter: HistoryFilter,
  format: HistoryExportFormat,
  file: string,
): Promise<number> {
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

/** How long a web-mode export address stays valid. */
const EXPORT_LINK_MS = 60_000;

/**
 * Web mode's export: the page asks over the authenticated WebSocket and gets a one-time address
 * (a random ticket naming the filter and format); the browser downloads the stream from it. The
 * page's token never goes into a URL (see electron/web/server.ts), and a ticket works once.
 */
export class ExportLinks {
  private readonly tickets = new Map<string, { filter: HistoryFilter; format: HistoryExportFormat; expires: number }>();

  issue(filter: HistoryFilter, format: HistoryExportFormat, now = Date.now()): string {
    for (const [ticket, link] of this.tickets) if (link.expires <= now) this.tickets.delete(ticket);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { filter, format, expires: now + EXPORT_LINK_MS });
    return `${HISTORY_EXPORT_PATH}?ticket=${ticket}`;
  }

  /** The export a ticket names, once; undefined when unknown, used or expired. */
  take(ticket: string | null, now = Date.now()): { filter: HistoryFilter; format: HistoryExportFormat } | undefined {
    if (!ticket) return undefined;
    const link = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return link && link.expires > now ? { filter: link.filter, format: link.format } : undefined;
  }
}
