/**
 * Answering an elicitation request (a form, or a page to open): field edits, accept, decline,
 * cancel. The request and its draft live in the one request queue (./queue.ts).
 */
import type { ElicitationAction } from '../../../../shared/domain';
import { buildContent, checkElicitationUrl, type DraftValue } from '../../../../shared/elicitation';
import { errorMessage } from '../../lib/format';
import { toast, useApp } from '../app';
import { host } from '../host';
import type { ElicitationDraft } from './kinds';
import { draftOf, findRequest, patchDraft, settleRequest } from './queue';

export type { ElicitationDraft } from './kinds';

function patch(id: string, changes: Partial<ElicitationDraft>): void {
  patchDraft('elicitation', id, changes);
}

export function setFieldValue(id: string, name: string, value: DraftValue): void {
  const draft = draftOf('elicitation', id);
  if (draft) patch(id, { values: { ...draft.values, [name]: value }, actionError: undefined });
}

export function touchField(id: string, name: string): void {
  const draft = draftOf('elicitation', id);
  if (draft && !draft.touched[name]) patch(id, { touched: { ...draft.touched, [name]: true } });
}

/**
 * Answers a request. Form accept: the content is checked here first (the host checks it again).
 * URL accept in web mode: the page opens the URL in a new tab right now, inside the click, so the
 * browser allows it; the desktop host opens it in the system browser instead.
 */
export async function respond(id: string, action: ElicitationAction): Promise<void> {
  const request = findRequest('elicitation', id);
  const draft = draftOf('elicitation', id);
  if (!request || !draft || draft.busy) return;
  let content: Record<string, string | number | boolean | string[]> | undefined;
  if (action === 'accept' && request.mode === 'form') {
    const built = buildContent(draft.fields, draft.values);
    if (Object.keys(built.errors).length) {
      patch(id, { submitted: true, actionError: 'Some answers need attention before they can be sent.' });
      return;
    }
    content = built.content;
  }
  if (action === 'accept' && request.mode === 'url') {
    const checked = checkElicitationUrl(request.url ?? '');
    if (!checked.ok) {
      patch(id, { actionError: checked.error });
      return;
    }
    if (useApp.getState().info?.mode !== 'desktop') window.open(checked.url.href, '_blank', 'noopener,noreferrer');
  }
  patch(id, { busy: action, actionError: undefined });
  try {
    await host().invoke('elicitation:respond', content ? { id, action, content } : { id, action });
    if (request.mode === 'form' || action !== 'accept') settleRequest('elicitation', id, 'accepted', '');
    if (action === 'accept')
      toast(
        'success',
        request.mode === 'url' ? `Opened the page for ${request.serverName}.` : `Sent your answer to ${request.serverName}.`,
      );
    else toast('info', `${action === 'decline' ? 'Declined' : 'Cancelled'} the request from ${request.serverName}.`);
  } catch (error) {
    patch(id, { busy: undefined, actionError: errorMessage(error) });
  }
}

export async function dismissOpened(id: string): Promise<void> {
  try {
    await host().invoke('elicitation:dismiss', { id });
  } catch (error) {
    toast('error', `Could not dismiss: ${errorMessage(error)}`);
  }
}
