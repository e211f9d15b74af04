import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useStore } from '../../store';
import { HistoryItem } from './HistoryItem';
import { UsageTable } from './UsageTable';
import { downloadHistory } from './export';
import { filterHistory, historyApps, historyServers, historyTools, indexHistory, isFiltered, type HistoryFilter, type OutcomeFilter } from './history-filter';
import './history-filters.css';

const OUTCOME_OPTIONS: ReadonlyArray<{ value: OutcomeFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'sent', label: 'Sent' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'failed', label: 'Failed' },
  { value: 'denied', label: 'Denied (tool calls)' },
  { value: 'tool-error', label: 'Tool error (tool calls)' },
];

/** A select over arbitrary names (option values are indexes: names are arbitrary text). */
function NameFilter(props: { id: string; label: string; names: string[]; value: string | null; onChange: (value: string | null) => void }) {
  const names = props.value !== null && !props.names.includes(props.value) ? [...props.names, props.value] : props.names;
  return (
    <div className="history-filter">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value === null ? '' : String(names.indexOf(props.value))} onChange={(e) => props.onChange(e.target.value === '' ? null : (names[Number(e.target.value)] ?? null))}>
        <option value="">All</option>
        {names.map((name, i) => (
          <option key={name} value={String(i)}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function HistoryView() {
  const history = useStore((s) => s.history);
  const loaded = useStore((s) => s.historyLoaded);
  const [query, setQuery] = useState('');
  const [outcome, setOutcome] = useState<OutcomeFilter>('all');
  const [server, setServer] = useState<string | null>(null);
  const [app, setApp] = useState<string | null>(null);
  const [tool, setTool] = useState<string | null>(null);
  const [showUsage, setShowUsage] = useState(false);
  const deferred = useDeferredValue(query);
  const ids = { search: useId(), outcome: useId(), server: useId(), app: useId(), tool: useId() };
  const apps = useMemo(() => historyApps(history), [history]);
  const tools = useMemo(() => historyTools(history, server), [history, server]);
  const index = useMemo(() => indexHistory(history), [history]);
  const servers = useMemo(() => {
    const names = historyServers(history);
    // A chosen server stays selectable even if its entries are gone.
    return server !== null && !names.includes(server) ? [...names, server] : names;
  }, [history, server]);
  const filter: HistoryFilter = { needle: deferred.trim().toLowerCase(), outcome, server, app, tool };
  const filtered = isFiltered(filter);
  const shown = filtered ? filterHistory(index, filter) : history;
  const clearFilters = () => {
    setQuery('');
    setOutcome('all');
    setServer(null);
    setApp(null);
    setTool(null);
  };

  return (
    <section className="view" aria-labelledby="history-title">
      <header className="view-header">
        <h1 id="history-title">History</h1>
        <span className="muted" data-testid="history-count">
          {filtered ? `${shown.length} of ${history.length}` : `${history.length} ${history.length === 1 ? 'entry' : 'entries'}`}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" aria-pressed={showUsage} onClick={() => setShowUsage((v) => !v)}>
          {showUsage ? 'Hide usage' : 'Usage per server'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={shown.length === 0}
          onClick={() => downloadHistory(shown)}
          title={filtered ? 'Export the entries the filters show' : 'Export every entry'}
        >
          Export JSON
        </button>
      </header>
      <div className="history-filters" role="search" aria-label="Filter history">
        <div className="history-filter history-filter-search">
          <label htmlFor={ids.search} className="sr-only">
            Search history
          </label>
          <input id={ids.search} type="search" placeholder="Search by server or text…" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="history-filter">
          <label htmlFor={ids.outcome}>Decision</label>
          <select id={ids.outcome} value={outcome} onChange={(e) => setOutcome(e.target.value as OutcomeFilter)}>
            {OUTCOME_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="history-filter">
          <label htmlFor={ids.server}>Server</label>
          {/* Option values are indexes: server names are arbitrary text. */}
          <select id={ids.server} value={server === null ? '' : String(servers.indexOf(server))} onChange={(e) => setServer(e.target.value === '' ? null : (servers[Number(e.target.value)] ?? null))}>
            <option value="">All</option>
            {servers.map((name, i) => (
              <option key={name} value={String(i)}>
                {name}
              </option>
            ))}
          </select>
        </div>
        {(apps.length > 0 || app !== null) && <NameFilter id={ids.app} label="App" names={apps} value={app} onChange={setApp} />}
        {(tools.length > 0 || tool !== null) && <NameFilter id={ids.tool} label="Tool" names={tools} value={tool} onChange={setTool} />}
        {filtered && (
          <button type="button" className="btn btn-small btn-ghost" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
      {showUsage && <UsageTable />}
      {!loaded ? (
        <p className="muted pad">Loading history…</p>
      ) : history.length === 0 ? (
        <div className="empty-state">
          <p>No decisions yet. Every sampling request you send, reject, or that gets cancelled lands here, and every tool call your other apps make through Sluice.</p>
        </div>
      ) : shown.length === 0 ? (
        <p className="muted pad">Nothing matches these filters.</p>
      ) : (
        <div className="history-table">
          <div className="history-row history-head" aria-hidden="true">
            <span>Time</span>
            <span>Server</span>
            <span>Outcome</span>
            <span>Model / tool</span>
            <span>Edits</span>
            <span className="num">Tokens / size</span>
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
