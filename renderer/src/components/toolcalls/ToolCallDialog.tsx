/**
 * An app connected to the gateway wants to call a tool, and a rule says to ask. The dialog names
 * the whole chain (app → server → tool), shows what the tool says it does (description and the
 * server's annotation hints) and why Sluice asks (a changed definition lists what changed), and lets
 * the user edit the arguments as a form built from the input schema or as JSON, both checked against
 * the schema before Approve. Esc puts the call aside; it stays pending until its deadline.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { jsonChanges } from '../../../../shared/json-diff';
import type { PendingToolCall } from '../../../../shared/toolcalls';
import { errorMessage, formatClock } from '../../lib/format';
import { rowsFor, useNow } from '../../lib/hooks';
import { draftToValue, formSupported, valueToDraft, type Draft, type Errors } from '../../lib/schema-form';
import { isSendShortcut, LaterButton, RequestDialogFrame, RequestQueueNav, SEND_SHORTCUT, Shortcut } from '../common/DialogParts';
import { SchemaForm } from '../servers/SchemaForm';
import { AnnotationBadges } from './AnnotationBadges';
import { requestKey } from '../../state/requests/kinds';
import { putAside } from '../../state/requests/queue';
import { approveToolCall, rejectToolCall, validateToolCall } from '../../state/requests/toolcalls';
import './toolcalls.css';

type Mode = 'form' | 'json';

const REASON_TEXT: Record<PendingToolCall['reason'], string> = {
  rule: 'You set this tool to Ask.',
  preset: "This server's setting asks before this tool.",
  changed: 'You allowed this tool, but its definition changed since. Approving allows the new definition.',
};

export function ToolCallDialog({ call }: { call: PendingToolCall }) {
  const now = useNow(1000);
  const schema = { ...call.tool.inputSchema, type: 'object' };
  const canForm = formSupported(call.tool.inputSchema);
  const [mode, setMode] = useState<Mode>(canForm ? 'form' : 'json');
  const [draft, setDraft] = useState<Draft>(() => valueToDraft(schema, call.arguments));
  const [json, setJson] = useState(() => JSON.stringify(call.arguments, null, 2));
  const [formErrors, setFormErrors] = useState<Errors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const ids = { json: useId(), reason: useId(), title: useId() };

  // The arguments as they stand: from the form, or the JSON text (undefined while it does not parse).
  const current = (): { value?: Record<string, unknown>; error?: string } => {
    if (mode === 'form') return { value: draftToValue(schema, draft).value as Record<string, unknown> };
    try {
      const parsed: unknown = JSON.parse(json.trim() === '' ? '{}' : json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The arguments must be a JSON object' };
      return { value: parsed as Record<string, unknown> };
    } catch (error) {
      return { error: `Not valid JSON: ${(error as Error).message}` };
    }
  };
  const { value, error: jsonError } = current();
  const valueKey = JSON.stringify(value);
  const edits = value ? jsonChanges(call.arguments, value) : [];

  // The host checks against the schema with the SDK's validator as the user types (debounced).
  useEffect(() => {
    if (valueKey === undefined) return;
    const timer = setTimeout(() => {
      validateToolCall(call.id, JSON.parse(valueKey))
        .then(setProblems)
        .catch(() => undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [call.id, valueKey]);

  const switchTo = (next: Mode) => {
    if (next === mode) return;
    if (next === 'form') {
      if (!value) {
        setActionError(jsonError);
        return;
      }
      setDraft(valueToDraft(schema, value));
    } else if (value) {
      setJson(JSON.stringify(value, null, 2));
    }
    setActionError(undefined);
    setMode(next);
  };

  const approve = async (always: boolean) => {
    if (mode === 'form') {
      const found = draftToValue(schema, draft).errors;
      setFormErrors(found);
      if (Object.keys(found).length) return setActionError('Some fields need attention.');
    }
    if (!value) return setActionError(jsonError);
    setBusy(true);
    setActionError(undefined);
    try {
      await approveToolCall(call, value, always);
    } catch (error) {
      setActionError(errorMessage(error));
      setBusy(false);
    }
  };

  const left = call.deadline - now;
  // Ctrl/Cmd+Enter approves (as edited), unless the user is writing a reason to reject.
  const onKey = (event: KeyboardEvent) => {
    if (isSendShortcut(event) && !busy && !rejecting && value) {
      event.preventDefault();
      void approve(false);
    }
  };
  return (
    <RequestDialogFrame label={`Tool call from ${call.app.name}`} className="toolcall-dialog" onHide={putAside} onKey={onKey}>
      <header className="dialog-header">
        <div className="dialog-title-row">
          <h2 className="dialog-title" id={ids.title}>
            <span className="server-name">{call.app.name}</span> wants to run <code>{call.tool.name}</code> on <span className="server-name">{call.serverName}</span>
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
            {call.tool.description ? <p className="toolcall-description">{call.tool.description}</p> : <p className="muted">The server gives no description.</p>}
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
            <div className="section-header">
              <h3 id={`${ids.title}-args`}>Arguments</h3>
              {canForm && (
                <div className="seg-tabs" role="tablist" aria-label="Arguments editor">
                  <button type="button" role="tab" aria-selected={mode === 'form'} className="seg-tab" onClick={() => switchTo('form')}>
                    Form
                  </button>
                  <button type="button" role="tab" aria-selected={mode === 'json'} className="seg-tab" onClick={() => switchTo('json')}>
                    JSON
                  </button>
                </div>
              )}
            </div>
            <fieldset disabled={busy} className="toolcall-args">
              {mode === 'form' ? (
                <SchemaForm schema={call.tool.inputSchema} draft={draft} errors={formErrors} onChange={setDraft} />
              ) : (
                <>
                  <label htmlFor={ids.json} className="field-label">
                    Arguments (JSON)
                  </label>
                  <textarea id={ids.json} className="code-input" spellCheck={false} rows={rowsFor(json, 4, 16)} value={json} onChange={(e) => setJson(e.target.value)} />
                  {jsonError && <p className="field-error">{jsonError}</p>}
                </>
              )}
            </fieldset>
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
                <input id={ids.reason} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} autoFocus />
              </span>
            ) : (
              <span className="muted">Nothing is sent to {call.serverName} until you approve.</span>
            )}
          </div>
          <div className="footer-buttons">
            {rejecting ? (
              <>
                <button type="button" className="btn" onClick={() => setRejecting(false)} disabled={busy}>
                  Back
                </button>
                <button type="button" className="btn btn-danger" onClick={() => void rejectToolCall(call, reason)} disabled={busy}>
                  Reject call
                </button>
              </>
            ) : (
              <>
                <button type="button" className="btn btn-danger" onClick={() => setRejecting(true)} disabled={busy} title="The app gets a result saying you declined">
                  Reject…
                </button>
                <button type="button" className="btn" onClick={() => void approve(true)} disabled={busy || !value} title="Send, and never ask again for this tool (until its definition changes)">
                  Approve and always allow
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => void approve(false)}
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
