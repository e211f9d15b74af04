/** What the History view shows: text search, decision (outcome) and server filters. Pure, for tests. */
import type { HistoryEntry } from '../../../../shared/domain';
import { contentBlocks } from '../../../../shared/mcp';

export type OutcomeFilter = HistoryEntry['outcome'] | 'all';

export interface HistoryFilter {
  /** Lower-cased, trimmed search text; empty matches everything. */
  needle: string;
  outcome: OutcomeFilter;
  /** A server name, or `null` for every server. */
  server: string | null;
}

export const NO_FILTER: HistoryFilter = { needle: '', outcome: 'all', server: null };

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.needle !== '' || filter.outcome !== 'all' || filter.server !== null;
}

/** Everything the text search looks at, lower-cased. */
export function searchableText(entry: HistoryEntry): string {
  const parts: string[] = [entry.serverName, entry.outcome, entry.route, entry.decision ?? '', entry.detail ?? '', entry.model?.model ?? '', ...entry.edits];
  // The server's JSON-RPC id: "id 7" or "7" finds the request a server's log line names.
  if (entry.mcpRequestId !== undefined) parts.push(`id ${entry.mcpRequestId}`);
  const params = entry.approvedParams ?? entry.originalParams;
  parts.push(params.systemPrompt ?? '');
  for (const source of [entry.originalParams, entry.approvedParams]) {
    for (const message of source?.messages ?? []) {
      for (const block of contentBlocks(message.content)) if (block.type === 'text') parts.push(block.text);
    }
  }
  for (const result of [entry.sent, entry.generated]) {
    if (!result) continue;
    for (const block of contentBlocks(result.content)) if (block.type === 'text') parts.push(block.text);
  }
  return parts.join('\n').toLowerCase();
}

export interface IndexedEntry {
  entry: HistoryEntry;
  text: string;
}

export function indexHistory(history: readonly HistoryEntry[]): IndexedEntry[] {
  return history.map((entry) => ({ entry, text: searchableText(entry) }));
}

export function filterHistory(index: readonly IndexedEntry[], filter: HistoryFilter): HistoryEntry[] {
  return index
    .filter(
      ({ entry, text }) =>
        (filter.outcome === 'all' || entry.outcome === filter.outcome) &&
        (filter.server === null || entry.serverName === filter.server) &&
        (filter.needle === '' || text.includes(filter.needle)),
    )
    .map(({ entry }) => entry);
}

/** The servers that appear in the history, sorted for the Server filter. */
export function historyServers(history: readonly HistoryEntry[]): string[] {
  return [...new Set(history.map((entry) => entry.serverName))].sort((a, b) => a.localeCompare(b));
}
