import { useState, type KeyboardEvent } from 'react';
import type { PendingSampling } from '../../../../shared/domain';
import { putAside, useRequests } from '../../state/requests/queue';
import { generate, sendAnswer, type EndedDialog } from '../../state/requests/sampling';
import { DialogHeader } from './DialogHeader';
import { MessageEditor } from './MessageEditor';
import { ParamsEditor } from './ParamsEditor';
import { AnswerPanel } from './AnswerPanel';
import { DialogFooter, EndedFooter } from './DialogFooter';
import { nonTextBlocks } from '../../lib/draft';
import { isSendShortcut, RequestDialogFrame } from '../common/DialogParts';
import { plainError } from '../../../../shared/error-text';
import { DraftChanges } from './DraftChanges';
import './long-text.css';

/** The human-in-the-loop approval dialog for one sampling request. */
export function SamplingDialog({ request, ended }: { request: PendingSampling; ended?: EndedDialog }) {
  const live = useRequests((s) => s.drafts.sampling[request.id]);
  const [showChanges, setShowChanges] = useState(false);
  const draft = ended?.draft ?? live;
  if (!draft) return null;
  const locked = draft.phase === 'generating' || draft.busy !== undefined;

  // Ctrl/Cmd+Enter does the step's main action: approve, then send.
  const onKey = (event: KeyboardEvent) => {
    if (isSendShortcut(event) && !ended) {
      event.preventDefault();
      if (draft.phase === 'editing') void generate(request.id);
      else if (draft.phase === 'answer' && (draft.answer.trim() || nonTextBlocks(draft.generation?.result.content).length > 0))
        void sendAnswer(request.id);
    }
  };

  return (
    <RequestDialogFrame
      label={`Sampling request from ${request.serverName}`}
      titleId={`sampling-title-${request.id}`}
      onHide={putAside}
      onKey={onKey}
      focusKey={ended ? 'ended' : draft.phase}
    >
      <DialogHeader request={request} titleId={`sampling-title-${request.id}`} ended={ended !== undefined} />
      <div className="dialog-body">
        {ended && (
          <div className="callout callout-error gave-up" role="alert" data-testid="server-gave-up">
            <strong>
              {ended.reason === 'cancelled' ? 'The server gave up on this request' : 'This request can no longer be answered'}
            </strong>
            {ended.message.trim() ? `: ${plainError(ended.message)}` : ''}. Nothing can be sent to it now. Your edits are kept below: copy
            what you need, then close.
          </div>
        )}
        {showChanges && <DraftChanges request={request} draft={draft} onClose={() => setShowChanges(false)} />}
        <fieldset className="dialog-columns" disabled={locked}>
          <section className="col col-messages" aria-labelledby={`msgs-${request.id}`}>
            <h3 className="col-title" id={`msgs-${request.id}`}>
              Messages
            </h3>
            <MessageEditor request={request} draft={draft} />
          </section>
          <section className="col col-params" aria-labelledby={`params-${request.id}`}>
            <h3 className="col-title" id={`params-${request.id}`}>
              Parameters
            </h3>
            <ParamsEditor request={request} draft={draft} />
          </section>
        </fieldset>
        {draft.phase !== 'editing' && <AnswerPanel request={request} draft={draft} />}
      </div>
      {ended ? (
        <EndedFooter draft={draft} />
      ) : (
        <DialogFooter request={request} draft={draft} showingChanges={showChanges} onToggleChanges={() => setShowChanges((v) => !v)} />
      )}
    </RequestDialogFrame>
  );
}
