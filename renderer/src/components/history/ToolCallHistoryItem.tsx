import type { ToolCallHistoryEntry } from '../../../../shared/toolcalls';
import { formatDuration, formatTime, toJson } from '../../lib/format';
import { appLabel, OUTCOME_LABEL } from './history-filter';

/** Bytes as `512 B`, `3.4 KB`, `1.2 MB`. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A tool call an app made through the gateway, in the same row layout as sampling decisions. */
export function ToolCallHistoryItem({ entry }: { entry: ToolCallHistoryEntry }) {
  const app = appLabel(entry.app);
  return (
    <details className="history-item history-item-toolcall" data-testid={`history-${entry.id}`}>
      <summary className="history-row">
        <span className="nowrap">{formatTime(entry.decidedAt)}</span>
        <span className="history-server" title={entry.serverName}>
          {entry.serverName}
        </span>
        <span>
          <span className={`chip chip-outcome-${entry.outcome}`}>{OUTCOME_LABEL[entry.outcome]}</span>
          {entry.decision === 'policy' && <span className="chip chip-decision">policy</span>}
        </span>
        <span className="history-model" title={`${entry.tool}, called by ${app}`}>
          <span className="chip chip-kind">tool</span> {entry.tool}
          <span className="muted"> · {app}</span>
        </span>
        <span className="history-edits">{entry.edits.length === 0 ? <span className="muted">none</span> : entry.edits.join('; ')}</span>
        <span className="num" title="Result size">
          {entry.resultBytes > 0 ? formatBytes(entry.resultBytes) : <span className="muted">—</span>}
        </span>
        <span className="num">{formatDuration(entry.durationMs)}</span>
      </summary>
      <div className="history-details">
        <dl className="facts">
          <dt>App</dt>
          <dd>
            {entry.app.name}
            {entry.app.version ? ` ${entry.app.version}` : ''} (token “{entry.app.label}”)
          </dd>
          <dt>Tool</dt>
          <dd>
            {entry.serverName} → {entry.tool}
          </dd>
          <dt>Received</dt>
          <dd>{formatTime(entry.receivedAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(entry.decidedAt)}</dd>
          <dt>Decided by</dt>
          <dd>{entry.decision === 'user' ? 'you' : 'the tool-call policy'}</dd>
          {entry.detail && (
            <>
              <dt>Detail</dt>
              <dd>{entry.detail}</dd>
            </>
          )}
          <dt>Result size</dt>
          <dd>{formatBytes(entry.resultBytes)}</dd>
        </dl>
        {entry.edits.length > 0 && (
          <>
            <h4 className="subhead">Your edits</h4>
            <ul className="edit-list" data-testid="toolcall-edits">
              {entry.edits.map((edit, i) => (
                <li key={i}>{edit}</li>
              ))}
            </ul>
          </>
        )}
        <div className="history-columns">
          <div>
            <h4 className="subhead">Arguments {entry.originalArguments ? 'sent (edited)' : 'sent'}</h4>
            <pre className="code">{toJson(entry.arguments)}</pre>
          </div>
          {entry.originalArguments && (
            <div>
              <h4 className="subhead">Arguments as the app asked</h4>
              <pre className="code">{toJson(entry.originalArguments)}</pre>
            </div>
          )}
        </div>
      </div>
    </details>
  );
}
