/**
 * The detail pane: one history entry, loaded from the host when its row is opened. A sampling
 * entry shows who decided, the parameters, the answer and the user's edits; a gateway tool call
 * shows the app, the arguments and the user's edits (ToolCallDetails). Server text is text.
 */
import { isToolCallEntry, type SamplingHistoryEntry } from '../../../../shared/domain';
import type { HistoryDetail } from '../../../../shared/history';
import { contentBlocks, type CreateMessageResult } from '../../../../shared/mcp';
import { formatTime, toJson } from '../../lib/format';
import { routeLabel } from '../sampling/RouteBadge';
import { formatCost } from '../sampling/usage-format';
import { EditList } from './EditList';
import { KIND_LABEL, OUTCOME_LABEL } from './history-labels';
import { ToolCallDetails } from './ToolCallDetails';

function resultText(result: CreateMessageResult): string {
  return contentBlocks(result.content)
    .map((b) => (b.type === 'text' ? b.text : toJson(b)))
    .join('\n');
}

export function HistoryDetailPane({ detail, onClose }: { detail: HistoryDetail | null | undefined; onClose: () => void }) {
  return (
    <aside className="history-pane" aria-label="Entry details" data-testid="history-detail">
      <header className="history-pane-head">
        <h2 className="subhead">{detail ? `${KIND_LABEL[detail.row.kind]} · ${detail.row.serverName}` : 'Details'}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      {detail === undefined ? (
        <p className="muted pad">Loading…</p>
      ) : detail === null ? (
        <p className="muted pad">This entry is no longer in the history.</p>
      ) : isToolCallEntry(detail.entry) ? (
        <ToolCallDetails entry={detail.entry} />
      ) : (
        <SamplingDetails entry={detail.entry} />
      )}
    </aside>
  );
}

function SamplingDetails({ entry }: { entry: SamplingHistoryEntry }) {
  return (
    <div className="history-details">
      <dl className="facts">
        <dt>Received</dt>
        <dd>{formatTime(entry.receivedAt)}</dd>
        <dt>Decided</dt>
        <dd>{formatTime(entry.decidedAt)}</dd>
        <dt>Outcome</dt>
        <dd>{OUTCOME_LABEL[entry.outcome] ?? entry.outcome}</dd>
        <dt>Route</dt>
        <dd>{routeLabel({ route: entry.route })}</dd>
        {entry.mcpRequestId !== undefined && (
          <>
            <dt>Server's request id</dt>
            <dd className="mono" title="The JSON-RPC id of the server's request, as its logs print it">
              {String(entry.mcpRequestId)}
            </dd>
          </>
        )}
        {entry.app && (
          <>
            <dt>For app</dt>
            <dd>
              {entry.app.name} {entry.app.version}
            </dd>
          </>
        )}
        {entry.model && (
          <>
            <dt>Model</dt>
            <dd>
              {entry.model.providerId} · {entry.model.model}
            </dd>
          </>
        )}
        {entry.detail && (
          <>
            <dt>Detail</dt>
            <dd>{entry.detail}</dd>
          </>
        )}
        {entry.decision && (
          <>
            <dt>Decided by</dt>
            <dd>
              {entry.decision === 'user' ? 'you' : entry.decision === 'auto' ? 'auto-approve policy' : 'policy (deny, pause or limit)'}
            </dd>
          </>
        )}
        {entry.costUsd !== undefined && (
          <>
            <dt>Estimated cost</dt>
            <dd>{formatCost(entry.costUsd)}</dd>
          </>
        )}
        {entry.usage && (
          <>
            <dt>Tokens</dt>
            <dd>
              {entry.usage.inputTokens ?? '?'} in / {entry.usage.outputTokens ?? '?'} out
            </dd>
          </>
        )}
      </dl>
      <EditList title="Edits" edits={entry.edits} />
      <div className="history-columns">
        <div>
          <h3 className="subhead">Original params</h3>
          <pre tabIndex={0} className="code">
            {toJson(entry.originalParams)}
          </pre>
          {entry.approvedParams && (
            <details>
              <summary className="subhead">Approved params</summary>
              <pre tabIndex={0} className="code">
                {toJson(entry.approvedParams)}
              </pre>
            </details>
          )}
        </div>
        <div>
          <h3 className="subhead">Sent answer{entry.answerEdited ? ' (edited)' : ''}</h3>
          {entry.sent ? (
            <pre tabIndex={0} className="result-text">
              {resultText(entry.sent)}
            </pre>
          ) : (
            <p className="muted">Nothing was sent.</p>
          )}
          {entry.answerDiff && (
            <details open>
              <summary className="subhead">Your edit of the answer</summary>
              <pre tabIndex={0} className="code answer-diff" data-testid="answer-diff">
                {entry.answerDiff.map((line, i) => (
                  <span key={i} className={line.startsWith('+ ') ? 'diff-add' : line.startsWith('- ') ? 'diff-del' : 'diff-same'}>
                    {line}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </details>
          )}
          {entry.answerEdited && entry.generated && (
            <details>
              <summary className="subhead">Generated before editing</summary>
              <pre tabIndex={0} className="result-text">
                {resultText(entry.generated)}
              </pre>
            </details>
          )}
        </div>
      </div>
    </div>
  );
}
