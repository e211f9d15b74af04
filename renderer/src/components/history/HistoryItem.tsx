import { isToolCallEntry, type HistoryEntry, type SamplingHistoryEntry } from '../../../../shared/domain';
import { contentBlocks, type CreateMessageResult } from '../../../../shared/mcp';
import { formatDuration, formatTime, toJson } from '../../lib/format';
import { routeLabel } from '../sampling/RouteBadge';
import { formatCost } from '../sampling/usage-format';
import { ToolCallHistoryItem } from './ToolCallHistoryItem';
import { OUTCOME_LABEL } from './history-filter';
import { useProviders } from '../../state/providers';
import { modelLabel } from '../../lib/models';
import { DiffLines } from '../common/DiffLines';

function resultText(result: CreateMessageResult): string {
  return contentBlocks(result.content)
    .map((b) => (b.type === 'text' ? b.text : toJson(b)))
    .join('\n');
}

/** One history row: a sampling decision or a gateway tool call. */
export function HistoryItem({ entry }: { entry: HistoryEntry }) {
  return isToolCallEntry(entry) ? <ToolCallHistoryItem entry={entry} /> : <SamplingHistoryItem entry={entry} />;
}

function SamplingHistoryItem({ entry }: { entry: SamplingHistoryEntry }) {
  const tokens = entry.usage ? (entry.usage.inputTokens ?? 0) + (entry.usage.outputTokens ?? 0) : undefined;
  const edits = entry.edits.length + (entry.answerEdited ? 1 : 0);
  const providers = useProviders((s) => s.providers);
  const model = entry.model ? modelLabel(providers, entry.model) : undefined;
  return (
    <details className="history-item" data-testid={`history-${entry.id}`}>
      <summary className="history-row">
        <span className="nowrap">{formatTime(entry.decidedAt)}</span>
        <span className="history-server" title={entry.serverName}>
          {entry.serverName}
        </span>
        <span>
          <span className={`chip chip-outcome-${entry.outcome}`}>{OUTCOME_LABEL[entry.outcome]}</span>
          {entry.decision && entry.decision !== 'user' && <span className="chip chip-decision">{entry.decision === 'auto' ? 'auto' : 'policy'}</span>}
        </span>
        <span className="history-model" title={model}>
          {entry.model ? entry.model.model : <span className="muted">—</span>}
        </span>
        <span className="history-edits">
          {edits === 0 ? (
            <span className="muted">none</span>
          ) : (
            [...entry.edits, ...(entry.answerEdited ? ['answer edited'] : [])].join('; ')
          )}
        </span>
        <span className="num">
          {entry.usage ? (
            <span title={`${entry.usage.inputTokens ?? '?'} in / ${entry.usage.outputTokens ?? '?'} out`}>{tokens}</span>
          ) : (
            <span className="muted">—</span>
          )}
        </span>
        <span className="num">{entry.latencyMs !== undefined ? formatDuration(entry.latencyMs) : <span className="muted">—</span>}</span>
      </summary>
      <div className="history-details">
        <dl className="facts">
          <dt>Received</dt>
          <dd>{formatTime(entry.receivedAt)}</dd>
          <dt>Decided</dt>
          <dd>{formatTime(entry.decidedAt)}</dd>
          <dt>Route</dt>
          <dd>{routeLabel({ route: entry.route })}</dd>
          {entry.mcpRequestId !== undefined && (
            <>
              <dt>Request id</dt>
              <dd>
                <code title="The JSON-RPC id of the server's request, as its own logs show it">{String(entry.mcpRequestId)}</code>
              </dd>
            </>
          )}
          {entry.model && (
            <>
              <dt>Model</dt>
              <dd>
                {model}
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
              <dd>{entry.decision === 'user' ? 'you' : entry.decision === 'auto' ? 'auto-approve policy' : 'policy (deny, pause or limit)'}</dd>
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
        {entry.edits.length > 0 && (
          <>
            <h4 className="subhead">Edits</h4>
            <ul className="edit-list">
              {entry.edits.map((edit, i) => (
                <li key={i}>{edit}</li>
              ))}
            </ul>
          </>
        )}
        <div className="history-columns">
          <div>
            <h4 className="subhead">Original params</h4>
            <pre tabIndex={0} className="code">{toJson(entry.originalParams)}</pre>
            {entry.approvedParams && (
              <details>
                <summary className="subhead">Approved params</summary>
                <pre tabIndex={0} className="code">{toJson(entry.approvedParams)}</pre>
              </details>
            )}
          </div>
          <div>
            <h4 className="subhead">Sent answer{entry.answerEdited ? ' (edited)' : ''}</h4>
            {entry.sent ? <pre tabIndex={0} className="result-text">{resultText(entry.sent)}</pre> : <p className="muted">Nothing was sent.</p>}
            {entry.answerDiff && (
              <details open>
                <summary className="subhead">Your edit of the answer</summary>
                <DiffLines lines={entry.answerDiff} testId="answer-diff" />
              </details>
            )}
            {entry.answerEdited && entry.generated && (
              <details>
                <summary className="subhead">Generated before editing</summary>
                <pre tabIndex={0} className="result-text">{resultText(entry.generated)}</pre>
              </details>
            )}
          </div>
        </div>
      </div>
    </details>
  );
}
