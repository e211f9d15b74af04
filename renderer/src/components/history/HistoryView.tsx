/**
 * The History view: filters and search answered by the host's database, a virtualised list that
 * loads pages as it scrolls, the detail pane for one entry, export of what the filters show,
 * "delete these entries" (with the count first) and the retention setting.
 */
import { useEffect, useId, useState } from 'react';
import type { HistoryFilter } from '../../../../shared/history';
import { useApp } from '../../state/app';
import { HistoryDetailPane } from './HistoryDetailPane';
import { HistoryList } from './HistoryList';
import { RetentionPanel } from './RetentionPanel';
import { UsageTable } from './UsageTable';
import {
  clearFilter,
  deleteShown,
  exportShown,
  isFiltered,
  loadHistory,
  refreshFacets,
  refreshRetention,
  selectEntry,
  setFilter,
  useHistory,
} from '../../state/history';
import './history.css';

const OUTCOME_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'All' },
  { value: 'sent', label: 'Sent' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'failed', label: 'Failed' },
  { value: 'denied', label: 'Denied (tool calls)' },
  { value: 'tool-error', label: 'Tool error (tool calls)' },
];

const KIND_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'All' },
  { value: 'sampling', label: 'Sampling' },
  { value: 'toolCall', label: 'Tool calls' },
];

/** How long typing pauses before the search goes to the host. */
const SEARCH_DELAY_MS = 250;

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** A menu of arbitrary names (servers, apps): option values are indexes, names are arbitrary text. */
function NameSelect({
  label,
  names,
  value,
  onChange,
}: {
  label: string;
  names: string[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  const options = value !== undefined && !names.includes(value) ? [...names, value] : names;
  return (
    <div className="history-filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value === undefined ? '' : String(options.indexOf(value))}
        onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)])}
      >
        <option value="">All</option>
        {options.map((name, i) => (
          <option key={name} value={String(i)}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters() {
  const filter = useHistory((s) => s.filter);
  const facets = useHistory((s) => s.facets);
  const [text, setText] = useState(filter.text ?? '');
  const ids = { search: useId(), kind: useId(), outcome: useId() };
  useEffect(() => {
    if ((filter.text ?? '') === text.trim()) return;
    const timer = setTimeout(() => setFilter({ text: text.trim() || undefined }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, filter.text]);
  const clear = () => {
    setText('');
    clearFilter();
  };
  return (
    <div className="history-filters" role="search" aria-label="Filter history">
      <div className="history-filter history-filter-search">
        <label htmlFor={ids.search} className="sr-only">
          Search history
        </label>
        <input
          id={ids.search}
          type="search"
          placeholder="Search messages and answers…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="history-filter">
        <label htmlFor={ids.kind}>Kind</label>
        <select
          id={ids.kind}
          value={filter.kind ?? ''}
          onChange={(e) => setFilter({ kind: (e.target.value || undefined) as HistoryFilter['kind'] })}
        >
          {KIND_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="history-filter">
        <label htmlFor={ids.outcome}>Decision</label>
        <select id={ids.outcome} value={filter.outcome ?? ''} onChange={(e) => setFilter({ outcome: e.target.value || undefined })}>
          {OUTCOME_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <NameSelect label="Server" names={facets.servers} value={filter.serverName} onChange={(serverName) => setFilter({ serverName })} />
      {(facets.apps.length > 0 || filter.app !== undefined) && (
        <NameSelect label="App" names={facets.apps} value={filter.app} onChange={(app) => setFilter({ app })} />
      )}
      {(facets.tools.length > 0 || filter.tool !== undefined) && (
        <NameSelect label="Tool" names={facets.tools} value={filter.tool} onChange={(tool) => setFilter({ tool })} />
      )}
      {isFiltered(filter) && (
        <button type="button" className="btn btn-small btn-ghost" onClick={clear}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** "Delete these entries": the count first, then one confirmation naming it. */
function DeleteBar({ onDone }: { onDone: () => void }) {
  const count = useHistory((s) => s.count);
  const filtered = useHistory((s) => isFiltered(s.filter));
  const [busy, setBusy] = useState(false);
  if (!count) return null;
  const what = filtered
    ? plural(count.count, 'entry matches these filters', 'entries match these filters')
    : plural(count.count, 'entry', 'entries');
  return (
    <div className="callout callout-warning history-confirm" role="alertdialog" aria-label="Delete history entries">
      <span>{filtered ? `${what}.` : `This deletes the whole history: ${what}.`} Deleted entries cannot be brought back.</span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={busy || count.count === 0}
        onClick={() => {
          setBusy(true);
          void deleteShown().then(() => {
            setBusy(false);
            onDone();
          });
        }}
      >
        {busy ? 'Deleting…' : `Delete ${plural(count.count, 'entry', 'entries')}`}
      </button>
      <button type="button" className="btn btn-small" onClick={onDone} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}

export function HistoryView() {
  const loaded = useHistory((s) => s.loaded);
  const rows = useHistory((s) => s.rows);
  const count = useHistory((s) => s.count);
  const filter = useHistory((s) => s.filter);
  const error = useHistory((s) => s.error);
  const selectedId = useHistory((s) => s.selectedId);
  const detail = useHistory((s) => s.detail);
  const web = useApp((s) => s.info?.mode === 'web');
  const [panel, setPanel] = useState<'usage' | 'retention' | 'delete' | null>(null);
  const filtered = isFiltered(filter);
  const toggle = (which: 'usage' | 'retention' | 'delete') => setPanel((p) => (p === which ? null : which));

  useEffect(() => {
    void loadHistory();
    void refreshFacets();
    void refreshRetention();
  }, []);

  const total = count?.total ?? 0;
  const shown = count?.count ?? rows.length;
  const nothingShown = loaded && rows.length === 0;

  return (
    <section className="view history-view" aria-labelledby="history-title">
      <header className="view-header">
        <h1 id="history-title">History</h1>
        <span className="muted" data-testid="history-count">
          {!count ? '' : filtered ? `${shown.toLocaleString()} of ${total.toLocaleString()}` : plural(total, 'entry', 'entries')}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" aria-pressed={panel === 'usage'} onClick={() => toggle('usage')}>
          Usage per server
        </button>
        <button type="button" className="btn btn-small" aria-pressed={panel === 'retention'} onClick={() => toggle('retention')}>
          Keep…
        </button>
        <span className="btn-group" role="group" aria-label={filtered ? 'Export the entries the filters show' : 'Export every entry'}>
          <button
            type="button"
            className="btn btn-small"
            disabled={nothingShown}
            onClick={() => void exportShown('jsonl')}
            title={web ? 'Download as JSON lines' : 'Save as JSON lines'}
          >
            Export JSONL
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={nothingShown}
            onClick={() => void exportShown('csv')}
            title={web ? 'Download as CSV' : 'Save as CSV'}
          >
            Export CSV
          </button>
        </span>
        <button
          type="button"
          className="btn btn-small btn-danger-ghost"
          disabled={nothingShown}
          aria-pressed={panel === 'delete'}
          onClick={() => toggle('delete')}
        >
          {filtered ? 'Delete these…' : 'Delete all…'}
        </button>
      </header>
      <Filters />
      {panel === 'usage' && <UsageTable />}
      {panel === 'retention' && <RetentionPanel onDone={() => setPanel(null)} />}
      {panel === 'delete' && <DeleteBar onDone={() => setPanel(null)} />}
      {error && <p className="callout callout-error history-error">{error}</p>}
      <div className={`history-body${selectedId ? ' has-detail' : ''}`}>
        {!loaded ? (
          <p className="muted pad">Loading history…</p>
        ) : total === 0 && !filtered ? (
          <div className="empty-state">
            <p>
              No decisions yet. Every sampling request you send, reject, or that gets cancelled lands here, and every tool call your other
              apps make through Sluice.
            </p>
          </div>
        ) : rows.length === 0 ? (
          <p className="muted pad">Nothing matches these filters.</p>
        ) : (
          <HistoryList />
        )}
        {selectedId && <HistoryDetailPane detail={detail} onClose={() => void selectEntry(null)} />}
      </div>
    </section>
  );
}
