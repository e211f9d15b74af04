import type { KeyboardEvent } from 'react';
import type { PendingSampling } from '../../../../shared/domain';
import { generate, hideDialog, sendAnswer, useStore } from '../../store';
import { DialogHeader } from './DialogHeader';
import { MessageEditor } from './MessageEditor';
import { ParamsEditor } from './ParamsEditor';
import { AnswerPanel } from './AnswerPanel';
import { DialogFooter } from './DialogFooter';
import { nonTextBlocks } from '../../lib/draft';
import { RequestDialogFrame } from '../common/DialogParts';

/** The human-in-the-loop approval dialog for one sampling request. */
export function SamplingDialog({ request }: { request: PendingSampling }) {
  const draft = useStore((s) => s.drafts[request.id]);
  if (!draft) return null;
  const locked = draft.phase === 'generating' || draft.busy !== undefined;

  // Ctrl/Cmd+Enter does the step's main action: approve, then send.
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (draft.phase === 'editing') void generate(request.id);
      else if (draft.phase === 'answer' && (draft.answer.trim() || nonTextBlocks(draft.generation?.result.content).length > 0)) void sendAnswer(request.id);
    }
  };

  return (
    <RequestDialogFrame label={`Sampling request from ${request.serverName}`} onHide={hideDialog} onKey={onKey}>
      <DialogHeader request={request} />
      <div className="dialog-body">
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
      <DialogFooter request={request} draft={draft} />
    </RequestDialogFrame>
  );
}
