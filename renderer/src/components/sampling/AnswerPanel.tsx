import { useEffect, useId, useRef } from 'react';
import { MANUAL_PROVIDER_ID, type PendingSampling } from '../../../../shared/domain';
import { useProviders } from '../../state/providers';
import { answerModel, generate, patchDraft } from '../../state/requests/sampling';
import { nonTextBlocks, type RequestDraft } from '../../lib/draft';
import { modelKey, modelLabel } from '../../lib/models';
import { MissingKeyNotice, NonTextAnswer } from './DialogExtras';
import { approxTokens, formatDuration } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { lengthLabel } from './LongTextField';

export function AnswerPanel({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  return (
    <section className={`answer-panel phase-${draft.phase}`}>
      {draft.phase === 'generating' && <Streaming draft={draft} />}
      {draft.phase === 'answer' && <AnswerEditor request={request} draft={draft} />}
      {draft.phase === 'error' && <ModelError request={request} draft={draft} />}
    </section>
  );
}

function useModelLabel(draft: RequestDraft): string {
  const providers = useProviders((s) => s.providers);
  const ref = draft.generatedWith;
  if (!ref) return '';
  if (ref.providerId === MANUAL_PROVIDER_ID) return 'Manual';
  return modelLabel(providers, ref);
}

function Streaming({ draft }: { draft: RequestDraft }) {
  const now = useNow(200);
  const label = useModelLabel(draft);
  const streamRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = streamRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [draft.streamed]);
  const elapsed = draft.startedAt ? now - draft.startedAt : 0;
  return (
    <>
      <div className="answer-head">
        <span className="spinner" aria-hidden="true" />
        <strong>{draft.stopped ? 'Stopping…' : `Generating with ${label}…`}</strong>
        <span className="spacer" />
        <span className="stat" data-testid="elapsed">
          {formatDuration(elapsed)}
        </span>
        <span className="stat" data-testid="approx-tokens">
          ≈ {approxTokens(draft.streamed)} tokens
        </span>
      </div>
      <pre
        ref={streamRef}
        tabIndex={0}
        className="stream"
        data-testid="answer-stream"
        aria-busy={draft.phase === 'generating'}
        data-autofocus
      >
        {draft.streamed}
        <span className="caret" aria-hidden="true" />
      </pre>
    </>
  );
}

function AnswerEditor({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const answerId = useId();
  const model = answerModel(request.id);
  const manual = draft.generatedWith?.providerId === MANUAL_PROVIDER_ID;
  const g = draft.generation;
  const stopReason = g?.result.stopReason;
  const usage = g?.usage;
  const elapsed = g?.elapsedMs ?? (draft.startedAt && draft.finishedAt ? draft.finishedAt - draft.startedAt : undefined);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    // The manual provider answers with nothing: put the cursor where the user must write.
    if (manual) ref.current?.focus();
  }, [manual]);

  return (
    <>
      <div className="answer-head">
        <label htmlFor={answerId} className="answer-label">
          Answer
        </label>
        <span className="spacer" />
        <span className="stat">
          Model <code data-testid="answer-model">{model}</code>
        </span>
        {!manual && (
          <>
            <span className="stat">
              Stop reason <code data-testid="stop-reason">{stopReason ?? (draft.stopped ? 'stopped by you' : '—')}</code>
            </span>
            {usage && (usage.inputTokens !== undefined || usage.outputTokens !== undefined) && (
              <span className="stat">
                {usage.inputTokens ?? '?'} in / {usage.outputTokens ?? '?'} out tokens
              </span>
            )}
            {elapsed !== undefined && <span className="stat">{formatDuration(elapsed)}</span>}
          </>
        )}
      </div>
      {manual ? (
        <p className="hint">Manual answer: write what {request.serverName} will receive as the model’s reply.</p>
      ) : draft.stopped ? (
        <p className="hint warn">You stopped the generation: this is a partial answer.</p>
      ) : stopReason === 'maxTokens' ? (
        // The model ran out of room: the answer likely ends mid-sentence.
        <p className="hint warn" data-testid="cut-off">
          <span className="chip chip-warn">cut off</span> The model stopped at the max tokens limit, so the answer may be incomplete. Raise
          Max tokens and Regenerate, or edit it before sending.
        </p>
      ) : (
        <p className="hint">You can edit the answer before sending it.</p>
      )}
      <NonTextAnswer blocks={nonTextBlocks(g?.result.content)} />
      <textarea
        ref={ref}
        id={answerId}
        data-autofocus
        className="answer-text long-text"
        rows={4}
        value={draft.answer}
        disabled={draft.busy !== undefined}
        onChange={(e) => patchDraft(request.id, { answer: e.target.value })}
      />
      <span className="text-length" data-testid="text-length">
        {lengthLabel(draft.answer)}
      </span>
    </>
  );
}

function ModelError({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const label = useModelLabel(draft);
  return (
    <div className="callout callout-error model-error" role="alert">
      <div>
        <strong>The model call failed{label ? ` (${label})` : ''}.</strong>
        <p className="error-message" data-testid="model-error">
          {draft.error}
        </p>
      </div>
      <div className="error-actions">
        <MissingKeyNotice modelKey={draft.generatedWith ? modelKey(draft.generatedWith) : draft.modelKey} />
        <button type="button" className="btn btn-primary" onClick={() => void generate(request.id)} data-autofocus>
          Retry
        </button>
      </div>
    </div>
  );
}
