/**
 * What the History view shows: text search and the outcome, kind, server, app and tool filters.
 * Sampling decisions and gateway tool calls share one list; the app and tool filters only match
 * tool calls. Pure, for tests.
 */
import { isToolCallEntry, type HistoryEntry, type HistoryKind } from '../../../../shared/domain';
import { contentBlocks } from '../../../../shared/mcp';
import type { GatewayCaller } from '../../../../shared/toolcalls';

export type OutcomeFilter = HistoryEntry['outcome'] | 'all';

export interface HistoryFilter {
  /** Lower-cased, trimmed search text; empty matches everything. */
  needle: string;
  outcome: OutcomeFilter;
  /** A server name, or `null` for every server. */
  server: string | null;
  /** `sampling`, `toolCall`, or `null` for both. */
  kind?: HistoryKind | null;
  /** An app as `appLabel` names it, or `null` for every app. */
  app?: string | null;
  /** A tool name, or `null` for every tool. */
  tool?: string | null;
}

export const NO_FILTER: HistoryFilter = { needle: '', outcome: 'all', server: null, kind: null, app: null, tool: null };

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.needle !== '' || filter.outcome !== 'all' || filter.server !== null || !!filter.kind || !!filter.app || !!filter.tool;
}

/** How the history names a calling app: its client name, and the token's label when it differs. */
export function appLabel(app: GatewayCaller): string {
  return app.label && app.label !== app.name ? `${app.name} (${app.label})` : app.name;
}

/** Everything the text search looks at, lower-cased. */
export function searchableText(entry: HistoryEntry): string {
  if (isToolCallEntry(entry)) {
    return [entry.serverName, entry.tool, entry.outcome, appLabel(entry.app), entry.detail ?? '', JSON.stringify(entry.arguments), ...entry.edits]
      .join('\n')
      .toLowerCase();
  }
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

function matches(entry: HistoryEntry, text: string, filter: HistoryFilter): boolean {
  if (filter.outcome !== 'all' && entry.outcome !== filter.outcome) return false;
  if (filter.server !== null && entry.serverName !== filter.server) return false;
  if (filter.kind && (isToolCallEntry(entry) ? 'toolCall' : 'sampling') !== filter.kind) return false;
  if (filter.app && (!isToolCallEntry(entry) || appLabel(entry.app) !== filter.app)) return false;
  if (filter.tool && (!isToolCallEntry(entry) || entry.tool !== filter.tool)) return false;
  return filter.needle === '' || text.includes(filter.needle);
}

export function filterHistory(index: readonly IndexedEntry[], filter: HistoryFilter): HistoryEntry[] {
  return index.filter(({ entry, text }) => matches(entry, text, filter)).map(({ entry }) => entry);
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

/** The servers that appear in the history, sorted for the Server filter. */
export function historyServers(history: readonly HistoryEntry[]): string[] {
  return sorted(history.map((entry) => entry.serverName));
}

/** The apps that made gateway tool calls, sorted for the App filter. */
export function historyApps(history: readonly HistoryEntry[]): string[] {
  return sorted(history.filter(isToolCallEntry).map((entry) => appLabel(entry.app)));
}

/** The tools called through the gateway (of `server` when given), sorted for the Tool filter. */
export function historyTools(history: readonly HistoryEntry[], server: string | null = null): string[] {
  return sorted(
    history.filter(isToolCallEntry).flatMap((entry) => (server === null || entry.serverName === server ? [entry.tool] : [])),
  );
}

/** How each outcome reads in the list (a tool-call entry and a sampling entry share them). */
export const OUTCOME_LABEL: Record<HistoryEntry['outcome'], string> = {
  sent: 'Sent',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  'tool-error': 'Tool error',
  denied: 'Denied',
};
