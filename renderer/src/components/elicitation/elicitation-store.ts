/**
 * The renderer's elicitation state: the pending requests (fed by host events), each form's draft,
 * and the actions that answer. Kept apart from the main store; `startElicitation` subscribes once,
 * from `startSluice`.
 */
import { create } from 'zustand';
import type { ElicitationAction, ElicitationEndReason, PendingElicitation } from '../../../../shared/domain';
import {
  buildContent,
  checkElicitationUrl,
  initialDraft,
  parseRequestedSchema,
  type DraftValue,
  type FormDraft,
  type FormField,
} from '../../../../shared/elicitation';
import { getApi } from '../../api';
import { errorMessage } from '../../lib/format';
import { toast, useStore as useMainStore } from '../../store';

export interface ElicitationDraft {
  fields: FormField[];
  /** Why the server's schema cannot be shown as a form (then only Decline/Cancel are offered). */
  schemaError?: string;
  values: FormDraft;
  /** Fields the user has left at least once: their messages show from then on. */
  touched: Record<string, boolean>;
  /** Set by a submit attempt: every field's message shows. */
  submitted: boolean;
  busy?: ElicitationAction;
  actionError?: string;
}

interface ElicitationState {
  requests: PendingElicitation[];
  drafts: Record<string, ElicitationDraft>;
  /** The request the user explicitly opened; else the oldest waiting one. */
  openId: string | null;
  /** The user put the dialog aside ("Later"); a new request brings it back. */
  hidden: boolean;
}

export const useElicitation = create<ElicitationState>()(() => ({ requests: [], drafts: {}, openId: null, hidden: false }));

const set = useElicitation.setState;
const get = useElicitation.getState;

function createDraft(request: PendingElicitation): ElicitationDraft {
  if (request.mode !== 'form') return { fields: [], values: {}, touched: {}, submitted: false };
  const parsed = parseRequestedSchema(request.requestedSchema);
  if ('error' in parsed) return { fields: [], schemaError: parsed.error, values: {}, touched: {}, submitted: false };
  return { fields: parsed.fields, values: initialDraft(parsed.fields), touched: {}, submitted: false };
}

function byReceived(a: PendingElicitation, b: PendingElicitation) {
  return a.receivedAt - b.receivedAt;
}

function setRequests(list: PendingElicitation[]): void {
  set((s) => {
    const drafts: Record<string, ElicitationDraft> = {};
    let fresh = false;
    for (const request of list) {
      if (!s.drafts[request.id]) fresh = true;
      drafts[request.id] = s.drafts[request.id] ?? createDraft(request);
    }
    return { requests: [...list].sort(byReceived), drafts, openId: s.openId && drafts[s.openId] ? s.openId : null, hidden: fresh ? false : s.hidden };
  });
}

function upsert(request: PendingElicitation): void {
  set((s) => ({
    requests: [...s.requests.filter((r) => r.id !== request.id), request].sort(byReceived),
    drafts: { ...s.drafts, [request.id]: s.drafts[request.id] ?? createDraft(request) },
    hidden: request.status === 'waiting' && !s.requests.some((r) => r.id === request.id) ? false : s.hidden,
  }));
}

function remove(id: string, reason: ElicitationEndReason, message: string): void {
  const request = get().requests.find((r) => r.id === id);
  if (!request) return;
  set((s) => {
    const { [id]: _gone, ...drafts } = s.drafts;
    return { requests: s.requests.filter((r) => r.id !== id), drafts, openId: s.openId === id ? null : s.openId };
  });
  const detail = message.trim() ? `: ${message.trim()}` : '.';
  if (reason === 'completed') toast('success', `${request.serverName} reports the browser step is done.`);
  else if (reason === 'cancelled') toast('warning', `The request from ${request.serverName} was cancelled by the server${detail}`);
  else if (reason === 'failed') toast('error', `The request from ${request.serverName} ended${detail}`);
}

let started = false;

export function startElicitation(): void {
  if (started) return;
  started = true;
  const api = getApi();
  api.on('elicitation:added', upsert);
  api.on('elicitation:updated', upsert);
  api.on('elicitation:removed', ({ id, reason, message }) => remove(id, reason, message));
  const reload = () =>
    void api
      .invoke('elicitation:list', {})
      .then(setRequests)
      .catch(() => undefined);
  api.onReconnect(reload);
  // Navigating puts an open dialog aside, as for sampling; the Requests view brings it back.
  useMainStore.subscribe((state, previous) => {
    if (state.view !== previous.view && selectOpenElicitation(get())) set({ hidden: true });
  });
  reload();
}

// ---------- selectors ----------

export function waitingRequests(state: Pick<ElicitationState, 'requests'>): PendingElicitation[] {
  return state.requests.filter((r) => r.status === 'waiting');
}

/** The request whose dialog is showing, if any. */
export function selectOpenElicitation(state: ElicitationState): PendingElicitation | undefined {
  if (state.hidden) return undefined;
  const waiting = waitingRequests(state);
  return waiting.find((r) => r.id === state.openId) ?? waiting[0];
}

// ---------- actions ----------

export function openElicitation(id: string): void {
  set({ openId: id, hidden: false });
}

export function hideElicitation(): void {
  set({ hidden: true });
}

function patch(id: string, changes: Partial<ElicitationDraft>): void {
  set((s) => {
    const draft = s.drafts[id];
    return draft ? { drafts: { ...s.drafts, [id]: { ...draft, ...changes } } } : {};
  });
}

export function setFieldValue(id: string, name: string, value: DraftValue): void {
  const draft = get().drafts[id];
  if (draft) patch(id, { values: { ...draft.values, [name]: value }, actionError: undefined });
}

export function touchField(id: string, name: string): void {
  const draft = get().drafts[id];
  if (draft && !draft.touched[name]) patch(id, { touched: { ...draft.touched, [name]: true } });
}

/**
 * Answers a request. Form accept: the content is checked here first (the host checks it again).
 * URL accept in web mode: the page opens the URL in a new tab right now, inside the click, so the
 * browser allows it; the desktop host opens it in the system browser instead.
 */
export async function respond(id: string, action: ElicitationAction): Promise<void> {
  const request = get().requests.find((r) => r.id === id);
  const draft = get().drafts[id];
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
    if (useMainStore.getState().info?.mode !== 'desktop') window.open(checked.url.href, '_blank', 'noopener,noreferrer');
  }
  patch(id, { busy: action, actionError: undefined });
  try {
    await getApi().invoke('elicitation:respond', content ? { id, action, content } : { id, action });
    if (request.mode === 'form' || action !== 'accept') remove(id, 'accepted', '');
    if (action === 'accept') toast('success', request.mode === 'url' ? `Opened the page for ${request.serverName}.` : `Sent your answer to ${request.serverName}.`);
    else toast('info', `${action === 'decline' ? 'Declined' : 'Cancelled'} the request from ${request.serverName}.`);
  } catch (error) {
    patch(id, { busy: undefined, actionError: errorMessage(error) });
  }
}

export async function dismissOpened(id: string): Promise<void> {
  try {
    await getApi().invoke('elicitation:dismiss', { id });
  } catch (error) {
    toast('error', `Could not dismiss: ${errorMessage(error)}`);
  }
}
