import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { HistoryEntry } from '../../../../shared/domain';
import { contentBlocks } from '../../../../shared/mcp';
import { useStore } from '../../store';
import { HistoryItem } from './HistoryItem';
import { UsageTable } from './UsageTable';
import { downloadHistory } from './export';

function searchableText(entry: HistoryEntry): string {
  const parts: string[] = [entry.serverName, entry.outcome, entry.route, entry.decision ?? '', entry.detail ?? '', entry.model?.model ?? '', ...entry.edits];
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

export function HistoryView() {
  const history = useStore((s) => s.history);
  const loaded = useStore((s) => s.historyLoaded);
  const [query, setQuery] = useState('');
  const [showUsage, setShowUsage] = useState(false);
  const deferred = useDeferredValue(query);
  const searchId = useId();
  const index = useMemo(() => history.map((entry) => ({ entry, text: searchableText(entry) })), [history]);
  const needle = deferred.trim().toLowerCase();
  const shown = needle ? index.filter((i) => i.text.includes(needle)).map((i) => i.entry) : history;

  return (
    <section className="view" aria-labelledby="history-title">
      <header className="view-header">
        <h1 id="history-title">History</h1>
        <div className="search">
          <label htmlFor={searchId} className="sr-only">
            Search history
          </label>
          <input id={searchId} type="search" placeholder="Search by server or text…" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <span className="muted">
          {needle ? `${shown.length} of ${history.length}` : `${history.length} ${history.length === 1 ? 'entry' : 'entries'}`}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" aria-pressed={showUsage} onClick={() => setShowUsage((v) => !v)}>
          {showUsage ? 'Hide usage' : 'Usage per server'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={history.length === 0}
          onClick={() => downloadHistory(needle ? shown : history)}
          title={needle ? 'Export the entries that match the search' : 'Export every entry'}
        >
          Export JSON
        </button>
      </header>
      {showUsage && <UsageTable />}
      {!loaded ? (
        <p className="muted pad">Loading history…</p>
      ) : history.length === 0 ? (
        <div className="empty-state">
          <p>No decisions yet. Every sampling request you send, reject, or that gets cancelled lands here.</p>
        </div>
      ) : shown.length === 0 ? (
        <p className="muted pad">Nothing matches “{deferred}”.</p>
      ) : (
        <div className="history-table">
          <div className="history-row history-head" aria-hidden="true">
            <span>Time</span>
            <span>Server</span>
            <span>Outcome</span>
            <span>Model</span>
            <span>Edits</span>
            <span className="num">Tokens</span>
            <span className="num">Latency</span>
          </div>
          {shown.map((entry) => (
            <HistoryItem key={entry.id} entry={entry} />
          ))}
        </div>
      )}
    </section>
  );
}
