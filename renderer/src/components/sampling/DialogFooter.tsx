import { MANUAL_PROVIDER_ID, type PendingSampling } from '../../../../shared/domain';
import { useState } from 'react';
import { closeEnded as closeEndedDialog } from '../../state/requests/queue';
import { generate, rejectRequest, sendAnswer, stopGeneration } from '../../state/requests/sampling';
import { draftAsText, nonTextBlocks, type RequestDraft } from '../../lib/draft';
import { BulkActions } from './DialogExtras';
import { parseModelKey } from '../../lib/models';
import { SEND_SHORTCUT, Shortcut } from '../common/DialogParts';
import { countEdits } from '../../lib/draft-changes';

export function DialogFooter({
  request,
  draft,
  showingChanges,
  onToggleChanges,
}: {
  request: PendingSampling;
  draft: RequestDraft;
  showingChanges: boolean;
  onToggleChanges: () => void;
}) {
  const id = request.id;
  const edits = countEdits(request.params, draft);
  const busy = draft.busy;
  const message = draft.formError ?? draft.actionError;
  const manual = draft.generatedWith?.providerId === MANUAL_PROVIDER_ID;
  // After a manual answer, offer generation again only once a real model is picked.
  const canRegenerate = !(manual && parseModelKey(draft.modelKey).providerId === MANUAL_PROVIDER_ID);
  // A tool call (or image) is an answer even without text.
  const empty = draft.answer.trim() === '' && nonTextBlocks(draft.generation?.result.content).length === 0;
  const hint = draft.phase === 'answer' && manual ? 'Write the answer, then Send it to the server.' : HINTS[draft.phase];
  return (
    <footer className="dialog-footer">
      <div className="footer-status" role={message ? 'alert' : undefined}>
        {message ? <span className="error-text">{message}</span> : <span className="muted">{hint}</span>}
      </div>
      <BulkActions request={request} />
      {(edits > 0 || showingChanges) && (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          aria-expanded={showingChanges}
          onClick={onToggleChanges}
          data-testid="show-changes"
        >
          {showingChanges ? 'Hide changes' : `Show changes (${edits})`}
        </button>
      )}
      <div className="footer-buttons">
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => void rejectRequest(id)}
          disabled={busy === 'rejecting' || busy === 'sending'}
        >
          {busy === 'rejecting' ? 'Rejecting…' : 'Reject'}
        </button>
        {draft.phase === 'editing' && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void generate(id)}
            disabled={busy !== undefined}
            aria-keyshortcuts={SEND_SHORTCUT.aria}
          >
            Approve and generate <Shortcut keys={SEND_SHORTCUT.label} />
          </button>
        )}
        {draft.phase === 'generating' && (
          <button type="button" className="btn" onClick={() => void stopGeneration(id)} disabled={draft.stopped}>
            Stop
          </button>
        )}
        {draft.phase === 'answer' && (
          <>
            {canRegenerate && (
              <button type="button" className="btn" onClick={() => void generate(id)} disabled={busy !== undefined}>
                Regenerate
              </button>
            )}
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void sendAnswer(id)}
              disabled={busy !== undefined || empty}
              title={empty ? 'Write an answer first' : `Send this answer to the server (${SEND_SHORTCUT.label})`}
              aria-keyshortcuts={SEND_SHORTCUT.aria}
            >
              {busy === 'sending' ? 'Sending…' : 'Send'} <Shortcut keys={SEND_SHORTCUT.label} />
            </button>
          </>
        )}
      </div>
    </footer>
  );
}

/** The footer once the server gave up: the edits can be copied, nothing can be approved or sent. */
export function EndedFooter({ draft }: { draft: RequestDraft }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(draftAsText(draft));
      setCopied('Copied your edits to the clipboard.');
    } catch {
      setCopied('Could not use the clipboard: select the text above and copy it.');
    }
  };
  return (
    <footer className="dialog-footer">
      <div className="footer-status" role="status">
        <span className="muted">{copied ?? 'The server no longer waits for an answer.'}</span>
      </div>
      <div className="footer-buttons">
        <button type="button" className="btn" onClick={() => void copy()}>
          Copy my edits
        </button>
        <button type="button" className="btn btn-primary" disabled title="The server gave up on this request">
          Approve and generate
        </button>
        <button type="button" className="btn" onClick={closeEndedDialog}>
          Close
        </button>
      </div>
    </footer>
  );
}

const HINTS: Record<RequestDraft['phase'], string> = {
  editing: 'Review and edit the request, then approve it. Nothing is sent to a model before you approve.',
  generating: 'The model is answering. Nothing goes back to the server until you press Send.',
  answer: 'Check the answer, edit it if needed, then Send it to the server.',
  error: 'The model failed. Fix the parameters or the model choice, then Retry — or Reject to tell the server what failed.',
};
