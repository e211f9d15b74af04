import type { FormEvent, KeyboardEvent } from 'react';
import type { PendingElicitation } from '../../../../shared/domain';
import { checkElicitationUrl } from '../../../../shared/elicitation';
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { RouteBadge } from '../sampling/RouteBadge';
import {
  isSendShortcut,
  LaterButton,
  RequestDialogFrame,
  RequestIdMeta,
  RequestQueueNav,
  SEND_SHORTCUT,
  Shortcut,
  ToolCallMeta,
} from '../common/DialogParts';
import { ElicitationForm } from './ElicitationForm';
import { useApp } from '../../state/app';
import { requestKey } from '../../state/requests/kinds';
import { putAside, useRequests } from '../../state/requests/queue';
import { respond } from '../../state/requests/elicitation';
import { UrlConsent } from './UrlConsent';
import './elicitation.css';

/** A server asks the user for information (a form) or to visit a URL. */
export function ElicitationDialog({ request }: { request: PendingElicitation }) {
  const draft = useRequests((s) => s.drafts.elicitation[request.id]);
  const desktop = useApp((s) => s.info?.mode === 'desktop');
  const now = useNow(1000);
  const titleId = `elicit-title-${request.id}`;

  if (!draft) return null;
  const busy = draft.busy !== undefined;
  const canAccept = request.mode === 'form' ? !draft.schemaError : checkElicitationUrl(request.url ?? '').ok;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (canAccept) void respond(request.id, 'accept');
  };
  // Ctrl/Cmd+Enter accepts from anywhere in the dialog (Enter in a text field does too, as a form submit).
  const onKey = (event: KeyboardEvent) => {
    if (isSendShortcut(event) && !busy && canAccept) {
      event.preventDefault();
      void respond(request.id, 'accept');
    }
  };

  return (
    <RequestDialogFrame
      label={`Elicitation request from ${request.serverName}`}
      titleId={titleId}
      className="elicit-dialog"
      onHide={putAside}
      onKey={onKey}
    >
      <header className="dialog-header">
        <div className="dialog-title-row">
          <h2 className="dialog-title" id={titleId}>
            {request.mode === 'url' ? 'Open a page for ' : 'Information requested by '}
            <span className="server-name">{request.serverName}</span>
          </h2>
          <RouteBadge request={request} />
          <span className="spacer" />
          <RequestQueueNav requestKey={requestKey('elicitation', request.id)} />
          <LaterButton title="Put this request aside (Esc); it stays pending" />
        </div>
        <div className="dialog-meta">
          <ToolCallMeta toolCall={request.toolCall} />
          <RequestIdMeta id={request.mcpRequestId} />
          <span className="meta-item">Waiting {formatClock(now - request.receivedAt)}</span>
        </div>
      </header>
      <form className="dialog-body elicit-body" onSubmit={onSubmit} noValidate>
        <div className="elicit-scroll">
          <section className="elicit-message" aria-labelledby={`${titleId}-says`}>
            <p className="field-label" id={`${titleId}-says`}>
              {request.serverName} says
            </p>
            <p className="elicit-message-text" data-testid="elicitation-message">
              {request.message}
            </p>
          </section>
          {request.mode === 'form' ? (
            draft.schemaError ? (
              <div className="callout callout-error" role="alert">
                Sluice cannot show this form: {draft.schemaError}. You can decline or cancel it.
              </div>
            ) : (
              <fieldset className="elicit-form" disabled={busy}>
                <ElicitationForm requestId={request.id} draft={draft} />
              </fieldset>
            )
          ) : (
            <UrlConsent url={request.url ?? ''} desktop={desktop} />
          )}
        </div>
        <footer className="dialog-footer">
          <div className="footer-status" role={draft.actionError ? 'alert' : undefined}>
            {draft.actionError ? (
              <span className="error-text">{draft.actionError}</span>
            ) : (
              <span className="muted">
                {request.mode === 'form'
                  ? 'Review your answers. Nothing is sent to the server until you Accept.'
                  : 'Nothing is opened until you Accept.'}
              </span>
            )}
          </div>
          <div className="footer-buttons">
            <button
              type="button"
              className="btn"
              onClick={() => void respond(request.id, 'cancel')}
              disabled={busy}
              title="Dismiss without answering; the server may ask again"
            >
              {draft.busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => void respond(request.id, 'decline')}
              disabled={busy}
              title="Refuse this request"
            >
              {draft.busy === 'decline' ? 'Declining…' : 'Decline'}
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !canAccept}
              title={request.mode === 'url' ? 'Open the page and tell the server you agreed' : 'Send these answers to the server'}
              aria-keyshortcuts={SEND_SHORTCUT.aria}
            >
              {draft.busy === 'accept' ? 'Sending…' : 'Accept'} <Shortcut keys={SEND_SHORTCUT.label} />
            </button>
          </div>
        </footer>
      </form>
    </RequestDialogFrame>
  );
}
