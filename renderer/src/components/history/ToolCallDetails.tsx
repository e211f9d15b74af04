import type { AppAnsweredRequest, ToolCallHistoryEntry } from '../../../../shared/toolcalls';
import { formatTime, toJson } from '../../lib/format';
import { OUTCOME_LABEL } from './history-labels';
import { EditList } from './EditList';

/** Bytes as `512 B`, `3.4 KB`, `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** How the detail pane names a server request the calling app answered (pass-through). */
const APP_ANSWERED_LABEL: Record<AppAnsweredRequest['method'], string> = {
  'sampling/createMessage': 'Completion (sampling)',
  'elicitation/create': 'Input (elicitation)',
  'roots/list': 'Roots',
};

/** The detail pane's body for a tool call an app made through the gateway. */
export function ToolCallDetails({ entry }: { entry: ToolCallHistoryEntry }) {
  return (
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
        <dt>Outcome</dt>
        <dd>{OUTCOME_LABEL[entry.outcome]}</dd>
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
      <EditList title="Your edits" edits={entry.edits} testId="toolcall-edits" />
      <EditList
        title={`Server requests answered by ${entry.app.name} (pass-through)`}
        edits={(entry.answeredByApp ?? []).map(
          (answered) => `${APP_ANSWERED_LABEL[answered.method]}${answered.mode === 'url' ? ' (URL mode)' : ''}: ${answered.outcome}`,
        )}
        testId="answered-by-app"
      />
      <div className="history-columns">
        <div>
          <h3 className="subhead">Arguments {entry.originalArguments ? 'sent (edited)' : 'sent'}</h3>
          <pre tabIndex={0} className="code">
            {toJson(entry.arguments)}
          </pre>
        </div>
        {entry.originalArguments && (
          <div>
            <h3 className="subhead">Arguments as the app asked</h3>
            <pre tabIndex={0} className="code">
              {toJson(entry.originalArguments)}
            </pre>
          </div>
        )}
      </div>
    </div>
  );
}
