/**
 * An app connected to the gateway wants to call a tool, and a rule says to ask. The dialog names
 * the whole chain (app → server → tool), shows what the tool says it does (description and the
 * server's annotation hints) and why Sluice asks (a changed definition lists what changed), and lets
 * the user edit the arguments as a form built from the input schema or as JSON, both checked against
 * the schema before Approve. Esc puts the call aside; it stays pending until its deadline, and the
 * edits stay in the request queue's draft (state/requests/toolcalls.ts) for when the user comes back.
 */
import { useEffect, useId, type KeyboardEvent } from 'react';
import { jsonChanges } from '../../../../shared/json-diff';
import type { PendingToolCall } from '../../../../shared/toolcalls';
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { argumentsOf } from '../../lib/tool-arguments';
import { isSendShortcut, LaterButton, RequestDialogFrame, RequestQueueNav, SEND_SHORTCUT, Shortcut } from '../common/DialogParts';
import { ArgumentsEditor } from '../servers/ArgumentsEditor';
import { AnnotationBadges } from './AnnotationBadges';
import { requestKey } from '../../state/requests/kinds';
import { putAside, useRequests } from '../../state/requests/queue';
import {
  approveDraft,
  checkToolCallArguments,
  editToolCallForm,
  editToolCallJson,
  rejectToolCall,
  setRejectReason,
  setRejecting,
  switchToolCallMode,
} from '../../state/requests/toolcalls';
import './toolcalls.css';

const REASON_TEXT: Record<PendingToolCall['reason'], string> = {
  rule: 'You set this tool to Ask.',
  preset: "This server's setting asks before this tool.",
  changed: 'You allowed this tool, but its definition changed since. Approving allows the new definition.',
};

export function ToolCallDialog({ call }: { call: PendingToolCall }) {
  // Everything the user edits lives in the queue's draft, so Later and ‹ › keep it.
  const draft = useRequests((s) => s.drafts.toolCall[call.id]);
  const now = useNow(1000);
  const ids = { reason: useId(), title: useId() };
  const { value, error: jsonError } = draft ? argumentsOf(call.tool.inputSchema, draft) : {};
  const valueKey = value && JSON.stringify(value);

  // The host checks against the schema with the SDK's validator as the user types (debounced).
  useEffect(() => {
    if (valueKey === undefined) return;
    const timer = setTimeout(() => void checkToolCallArguments(call.id), 250);
    return () => clearTimeout(timer);
  }, [call.id, valueKey]);

  if (!draft) return null;
  const { busy, rejecting, reason, actionError, problems } = draft;
  const edits = value ? jsonChanges(call.arguments, value) : [];
  const approve = (always: boolean) => void approveDraft(call.id, always);

  const left = call.deadline - now;
  // Ctrl/Cmd+Enter approves (as edited), unless the user is writing a reason to reject.
  const onKey = (event: KeyboardEvent) => {
    if (isSendShortcut(event) && !busy && !rejecting && value) {
      event.preventDefault();
      approve(false);
    }
  };
  return (
    <RequestDialogFrame
      label={`Tool call from ${call.app.name}`}
      titleId={ids.title}
      className="toolcall-dialog"
      onHide={putAside}
      onKey={onKey}
    >
      <header className="dialog-header">
        <div className="dialog-title-row">
          <h2 className="dialog-title" id={ids.title}>
            <span className="server-name">{call.app.name}</span> wants to run <code>{call.tool.name}</code> on{' '}
            <span className="server-name">{call.serverName}</span>
          </h2>
          <span className="spacer" />
          <RequestQueueNav requestKey={requestKey('toolCall', call.id)} />
          <LaterButton title="Put this call aside (Esc); the app keeps waiting" />
        </div>
        <div className="dialog-meta">
          <span className="meta-item">
            App: {call.app.name}
            {call.app.version ? ` ${call.app.version}` : ''} (token “{call.app.label}”)
          </span>
          <span className="meta-item">Waiting {formatClock(now - call.receivedAt)}</span>
          <span className="meta-item" title="Then the app gets an error result saying nobody answered">
            Closes in {formatClock(left)}
          </span>
        </div>
      </header>
      <div className="dialog-body toolcall-body">
        <div className="toolcall-scroll">
          <section className="toolcall-tool" aria-label="The tool">
            <p>
              <strong>{call.tool.title ?? call.tool.name}</strong> <AnnotationBadges annotations={call.tool.annotations} />
            </p>
            {call.tool.description ? (
              <p className="toolcall-description">{call.tool.description}</p>
            ) : (
              <p className="muted">The server gives no description.</p>
            )}
            <div className={call.reason === 'changed' ? 'callout callout-error' : 'callout callout-info'}>
              {REASON_TEXT[call.reason]}
              {call.changes && (
                <ul className="toolcall-changes" data-testid="toolcall-changes">
                  {call.changes.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
          </section>
          <section aria-labelledby={`${ids.title}-args`}>
            <ArgumentsEditor
              heading={<h3 id={`${ids.title}-args`}>Arguments</h3>}
              inputSchema={call.tool.inputSchema}
              mode={draft.mode}
              onMode={(mode) => switchToolCallMode(call.id, mode)}
              form={draft.form}
              formErrors={draft.formErrors}
              onForm={(form) => editToolCallForm(call.id, form)}
              json={draft.json}
              onJson={(json) => editToolCallJson(call.id, json)}
              jsonError={jsonError}
              jsonRows={[4, 16]}
              disabled={busy}
            />
            {value && problems.length > 0 && (
              <div className="callout callout-error" role="status" data-testid="toolcall-problems">
                Does not match the tool's input schema:
                <ul className="toolcall-args-problems">
                  {problems.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </div>
            )}
            {edits.length > 0 && (
              <details className="toolcall-edits" open>
                <summary className="subhead">Your changes ({edits.length})</summary>
                <ul className="edit-list" data-testid="toolcall-edit-list">
                  {edits.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </details>
            )}
          </section>
        </div>
        <footer className="dialog-footer">
          <div className="footer-status" role={actionError ? 'alert' : undefined}>
            {actionError ? (
              <span className="error-text">{actionError}</span>
            ) : rejecting ? (
              <span className="toolcall-reason">
                <label htmlFor={ids.reason}>Reason (optional, the app sees it)</label>
                <input
                  id={ids.reason}
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setRejectReason(call.id, e.target.value)}
                  autoFocus
                />
              </span>
            ) : (
              <span className="muted">Nothing is sent to {call.serverName} until you approve.</span>
            )}
          </div>
          <div className="footer-buttons">
            {rejecting ? (
              <>
                <button type="button" className="btn" onClick={() => setRejecting(call.id, false)} disabled={busy}>
                  Back
                </button>
                <button type="button" className="btn btn-danger" onClick={() => void rejectToolCall(call, reason)} disabled={busy}>
                  Reject call
                </button>
              </>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-danger"
                  onClick={() => setRejecting(call.id, true)}
                  disabled={busy}
                  title="The app gets a result saying you declined"
                >
                  Reject…
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => approve(true)}
                  disabled={busy || !value}
                  title="Send, and never ask again for this tool (until its definition changes)"
                >
                  Approve and always allow
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => approve(false)}
                  disabled={busy || !value}
                  aria-keyshortcuts={SEND_SHORTCUT.aria}
                >
                  {busy ? 'Sending…' : edits.length ? 'Approve with my changes' : 'Approve'} <Shortcut keys={SEND_SHORTCUT.label} />
                </button>
              </>
            )}
          </div>
        </footer>
      </div>
    </RequestDialogFrame>
  );
}
