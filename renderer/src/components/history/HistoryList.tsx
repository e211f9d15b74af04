/**
 * The history rows, virtualised: only the rows in view are in the DOM, and the next page is
 * asked for when the user scrolls near the end of what is loaded (infinite scroll). A row opens
 * its entry in the detail pane.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { HistoryRow } from '../../../../shared/history';
import { formatDuration, formatTime } from '../../lib/format';
import { KIND_LABEL, OUTCOME_LABEL } from './history-labels';
import { loadMore, selectEntry, useHistory } from '../../state/history';

const ROW_PX = 54;
/** Ask for the next page when this few loaded rows remain below the view. */
const PREFETCH_ROWS = 30;

function tokensOf(row: HistoryRow): number | undefined {
  if (row.inputTokens === undefined && row.outputTokens === undefined) return undefined;
  return (row.inputTokens ?? 0) + (row.outputTokens ?? 0);
}

/**
 * One entry: a table row (so a screen reader reads each cell with its column header) that opens
 * the entry when clicked, or with Enter or Space once focused.
 */
function Row({ row, selected, rowIndex }: { row: HistoryRow; selected: boolean; rowIndex: number }) {
  const tokens = tokensOf(row);
  const toggle = () => void selectEntry(selected ? null : row.id);
  return (
    <div
      role="row"
      tabIndex={0}
      aria-rowindex={rowIndex}
      className={`history-row history-item${row.kind === 'toolCall' ? ' history-item-toolcall' : ''}${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid={`history-${row.id}`}
      onClick={toggle}
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
        event.preventDefault();
        toggle();
      }}
    >
      <span className="history-line" role="none">
        <span role="cell" className="nowrap">
          {formatTime(row.decidedAt)}
        </span>
        <span role="cell" className="history-server" title={row.app ? `${row.serverName} · ${row.app}` : row.serverName}>
          {row.serverName}
          {row.app && <span className="muted"> · {row.app}</span>}
        </span>
        <span role="cell" className="history-chips">
          {row.kind !== 'sampling' && <span className="chip chip-kind">{KIND_LABEL[row.kind]}</span>}
          <span className={`chip chip-outcome-${row.outcome}`}>{OUTCOME_LABEL[row.outcome] ?? row.outcome}</span>
          {row.decision && row.decision !== 'user' && (
            <span className="chip chip-decision">{row.decision === 'auto' ? 'auto' : 'policy'}</span>
          )}
        </span>
        {row.tool !== undefined ? (
          <span role="cell" className="history-model" title={`Tool ${row.tool}`}>
            {row.tool}
          </span>
        ) : (
          <span role="cell" className="history-model" title={row.model}>
            {row.model ?? <span className="muted">—</span>}
          </span>
        )}
        <span role="cell" className="history-edits">
          {row.edits === 0 ? <span className="muted">no edits</span> : `${row.edits} ${row.edits === 1 ? 'edit' : 'edits'}`}
        </span>
        <span
          role="cell"
          className="num"
          title={tokens === undefined ? undefined : `${row.inputTokens ?? '?'} in / ${row.outputTokens ?? '?'} out`}
        >
          {tokens ?? <span className="muted">—</span>}
        </span>
        <span role="cell" className="num">
          {row.latencyMs !== undefined ? formatDuration(row.latencyMs) : <span className="muted">—</span>}
        </span>
      </span>
      <span role="cell" className="history-summary">
        {row.summary || <span className="muted">(no text)</span>}
      </span>
    </div>
  );
}

export function HistoryList() {
  const rows = useHistory((s) => s.rows);
  const next = useHistory((s) => s.next);
  const loadingMore = useHistory((s) => s.loadingMore);
  const selectedId = useHistory((s) => s.selectedId);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 10,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtual.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (next && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, next, loadingMore]);

  return (
    // A table of the loaded rows (only those in view are in the DOM: aria-rowcount/rowindex say
    // where each is), with column headers a screen reader reads with every cell.
    <div ref={scroller} className="history-scroll" data-testid="history-list">
      <div role="table" aria-label="History entries" aria-rowcount={rows.length + 1}>
        <div className="history-row history-head" role="row" aria-rowindex={1}>
          <span className="history-line" role="none">
            <span role="columnheader">Time</span>
            <span role="columnheader">Server</span>
            <span role="columnheader">Outcome</span>
            <span role="columnheader" className="history-model">
              Model / tool
            </span>
            <span role="columnheader">Edits</span>
            <span role="columnheader" className="num">
              Tokens
            </span>
            <span role="columnheader" className="num">
              Latency
            </span>
          </span>
          <span role="columnheader" className="sr-only">
            Summary
          </span>
        </div>
        <div className="history-rows" role="rowgroup" style={{ height: virtual.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div key={item.key} className="history-slot" role="none" style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}>
                <Row row={row} selected={row.id === selectedId} rowIndex={item.index + 2} />
              </div>
            );
          })}
        </div>
      </div>
      {loadingMore && <p className="muted pad history-more">Loading more…</p>}
    </div>
  );
}
