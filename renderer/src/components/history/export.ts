/** History export: every entry as pretty JSON, downloaded as a file named after the date. */
import type { HistoryEntry } from '../../../../shared/domain';

export function historyExportJson(entries: readonly HistoryEntry[], exportedAt = Date.now()): string {
  return `${JSON.stringify({ format: 'sluice-history', version: 1, exportedAt: new Date(exportedAt).toISOString(), entries }, null, 2)}\n`;
}

export function exportFileName(exportedAt = Date.now()): string {
  return `sluice-history-${new Date(exportedAt).toISOString().slice(0, 10)}.json`;
}

/** Saves the export through a Blob link (works in the browser and in the sandboxed desktop window). */
export function downloadHistory(entries: readonly HistoryEntry[]): void {
  const blob = new Blob([historyExportJson(entries)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = exportFileName();
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
