/**
 * Answering a sampling request: approve and generate (streaming), stop, send, reject. The request
 * and its draft live in the one request queue (./queue.ts); this module only acts on them.
 */
import type { CreateMessageResult } from '../../../../shared/mcp';
import { answerContent, buildParams, resultText, type RequestDraft } from '../../lib/draft';
import { errorMessage } from '../../lib/format';
import { parseModelKey } from '../../lib/models';
import { toast } from '../app';
import { host } from '../host';
import { draftOf, findRequest, patchDraft as patchQueuedDraft, settleRequest, type EndedRequest } from './queue';

/** The sampling dialog kept open after the server gave up on it (see the queue's rule). */
export type EndedDialog = Extract<EndedRequest, { kind: 'sampling' }>;

export function patchDraft(id: string, patch: Partial<RequestDraft> | ((draft: RequestDraft) => Partial<RequestDraft>)): void {
  patchQueuedDraft('sampling', id, patch);
}

export async function generate(id: string): Promise<void> {
  const request = findRequest('sampling', id);
  const draft = draftOf('sampling', id);
  if (!request || !draft || draft.phase === 'generating') return;
  const built = buildParams(request.params, draft);
  if ('error' in built) {
    patchDraft(id, { formError: built.error, formErrorField: built.field });
    return;
  }
  const run = draft.run + 1;
  const model = parseModelKey(draft.modelKey);
  patchDraft(id, {
    phase: 'generating',
    generatedWith: model,
    run,
    streamed: '',
    answer: '',
    generation: undefined,
    stopped: false,
    startedAt: Date.now(),
    finishedAt: undefined,
    error: undefined,
    formError: undefined,
    formErrorField: undefined,
    actionError: undefined,
  });
  try {
    const generation = await host().invoke('sampling:generate', {
      id,
      params: built.params,
      model,
      ...(request.context && { keepContext: draft.keepContext }),
    });
    patchDraft(id, (d) => {
      if (d.run !== run) return {};
      const text = resultText(generation.result.content);
      return {
        phase: 'answer',
        generation,
        answer: text === '' && d.streamed !== '' ? d.streamed : text,
        finishedAt: Date.now(),
        busy: d.busy === 'stopping' ? undefined : d.busy,
      };
    });
  } catch (error) {
    patchDraft(id, (d) => {
      if (d.run !== run) return {};
      if (d.stopped) {
        // Stopped by the user: keep what streamed so far as an editable answer.
        return { phase: 'answer', answer: d.streamed, finishedAt: Date.now(), busy: d.busy === 'stopping' ? undefined : d.busy };
      }
      return { phase: 'error', error: errorMessage(error), finishedAt: Date.now() };
    });
  }
}

export async function stopGeneration(id: string): Promise<void> {
  patchDraft(id, { stopped: true, busy: 'stopping' });
  try {
    await host().invoke('sampling:stop', { id });
  } catch (error) {
    patchDraft(id, { actionError: `Could not stop: ${errorMessage(error)}` });
  } finally {
    patchDraft(id, (d) => (d.busy === 'stopping' ? { busy: undefined } : {}));
  }
}

export function answerModel(id: string): string {
  const draft = draftOf('sampling', id);
  return draft?.generation?.result.model || draft?.generatedWith?.model || (draft ? parseModelKey(draft.modelKey).model : '');
}

export async function sendAnswer(id: string): Promise<void> {
  const draft = draftOf('sampling', id);
  const request = findRequest('sampling', id);
  if (!draft || !request || draft.busy) return;
  const generated = draft.generation?.result;
  const result: CreateMessageResult = {
    role: 'assistant',
    content: answerContent(generated?.content, draft.answer),
    model: answerModel(id) || 'unknown',
  };
  if (generated?.stopReason !== undefined) result.stopReason = generated.stopReason;
  patchDraft(id, { busy: 'sending', actionError: undefined });
  try {
    await host().invoke('sampling:send', { id, result });
    settleRequest('sampling', id, 'sent', '');
    toast('success', `Answer sent to ${request.serverName}.`);
  } catch (error) {
    patchDraft(id, { busy: undefined, actionError: `Could not send: ${errorMessage(error)}` });
  }
}

export async function rejectRequest(id: string, reason?: string): Promise<void> {
  const draft = draftOf('sampling', id);
  const request = findRequest('sampling', id);
  if (!draft || !request || draft.busy === 'rejecting' || draft.busy === 'sending') return;
  patchDraft(id, { busy: 'rejecting', actionError: undefined, stopped: draft.phase === 'generating' ? true : draft.stopped });
  try {
    if (draft.phase === 'generating')
      await host()
        .invoke('sampling:stop', { id })
        .catch(() => undefined);
    await host().invoke('sampling:reject', reason ? { id, reason } : { id });
    settleRequest('sampling', id, 'rejected', '');
    toast('info', `Rejected the request from ${request.serverName}.`);
  } catch (error) {
    patchDraft(id, { busy: undefined, actionError: `Could not reject: ${errorMessage(error)}` });
  }
}
