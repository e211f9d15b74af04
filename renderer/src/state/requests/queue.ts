/**
 * The one queue of everything servers and apps ask of the user (sampling, elicitation, the
 * gateway's tool calls: see ./kinds.ts), and the one rule for which dialog is open:
 *
 * 1. A request that ended while its dialog was showing stays shown ("the server gave up") until
 *    the user closes it.
 * 2. Otherwise the request the user opened (Requests view, Review, ‹ › in a dialog), unless they
 *    put it aside since.
 * 3. Otherwise the oldest waiting request the user has not put aside.
 *
 * Later, Esc and navigating to another view put aside every request waiting at that moment:
 * the dialog closes, and a request that arrives afterwards opens it on that new request, never
 * on one the user put aside (issue 11, item 4).
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../../shared/contract';
import { toast, useApp } from '../app';
import { host } from '../host';
import {
  KINDS,
  isWaiting,
  requestKey,
  specOf,
  type DraftOf,
  type EndReasonOf,
  type QueuedRequest,
  type QueueSink,
  type RequestKind,
  type RequestOf,
} from './kinds';

/** The dialog of a request that ended while it was showing, with the draft as the user left it. */
export type EndedRequest = {
  [K in RequestKind]: {
    kind: K;
    item: Extract<QueuedRequest, { kind: K }>;
    request: RequestOf<K>;
    draft: DraftOf<K>;
    reason: EndReasonOf<K>;
    message: string;
  };
}[RequestKind];

export interface RequestQueueState {
  /** Every pending request of every kind, oldest first (by when the host received it). */
  items: QueuedRequest[];
  /** Each request's draft (what the user edited), by kind then id. */
  drafts: { [K in RequestKind]: Record<string, DraftOf<K>> };
  /** The request the user explicitly opened, by key. */
  openKey: string | null;
  /** Requests the user put aside (by key): the dialog does not open on them by itself. */
  aside: Record<string, true>;
  ended: EndedRequest | null;
}

export const initialQueueState = (): RequestQueueState => ({
  items: [],
  drafts: { sampling: {}, elicitation: {}, toolCall: {} },
  openKey: null,
  aside: {},
  ended: null,
});

export const useRequests = create<RequestQueueState>()(initialQueueState);

const set = useRequests.setState;
const get = useRequests.getState;

const byReceived = (a: QueuedRequest, b: QueuedRequest) => a.request.receivedAt - b.request.receivedAt;

function itemOf<K extends RequestKind>(kind: K, request: RequestOf<K>): QueuedRequest {
  return { kind, key: requestKey(kind, request.id), request } as QueuedRequest;
}

// ---------- selectors ----------

/** The request whose dialog is showing, if any (see the rule at the top of this file). */
export function selectOpenRequest(state: RequestQueueState): QueuedRequest | undefined {
  if (state.ended) return state.ended.item;
  const shown = (item: QueuedRequest) => isWaiting(item) && !state.aside[item.key];
  const opened = state.openKey === null ? undefined : state.items.find((item) => item.key === state.openKey);
  if (opened && shown(opened)) return opened;
  return state.items.find(shown);
}

/** Requests waiting for the user, oldest first (a new array: select it with `useShallow`). */
export function selectWaiting(state: RequestQueueState): QueuedRequest[] {
  return state.items.filter(isWaiting);
}

export function selectWaitingCount(state: RequestQueueState): number {
  return state.items.reduce((count, item) => count + (isWaiting(item) ? 1 : 0), 0);
}

/** The pending requests of one kind, oldest first (a new array: select it with `useShallow`). */
export function requestsOf<K extends RequestKind>(state: RequestQueueState, kind: K): RequestOf<K>[] {
  return state.items.filter((item) => item.kind === kind).map((item) => item.request as RequestOf<K>);
}

export function findRequest<K extends RequestKind>(kind: K, id: string): RequestOf<K> | undefined {
  return get().items.find((item) => item.kind === kind && item.request.id === id)?.request;
}

export function draftOf<K extends RequestKind>(kind: K, id: string): DraftOf<K> | undefined {
  return get().drafts[kind][id];
}

// ---------- what the host says ----------

/** A new request of `kind`, or a newer copy of one already queued (its draft is kept). */
export function putRequest<K extends RequestKind>(kind: K, request: RequestOf<K>): void {
  set((s) => {
    const item = itemOf(kind, request);
    const drafts = s.drafts[kind] as Record<string, DraftOf<K>>;
    return {
      items: [...s.items.filter((other) => other.key !== item.key), item].sort(byReceived),
      drafts: { ...s.drafts, [kind]: drafts[request.id] ? drafts : { ...drafts, [request.id]: specOf(kind).createDraft(request) } },
    };
  });
}

/** The host's full list of one kind (start, reconnect): drafts and "aside" marks of known requests are kept. */
export function replaceRequests<K extends RequestKind>(kind: K, list: RequestOf<K>[]): void {
  set((s) => {
    const old = s.drafts[kind] as Record<string, DraftOf<K>>;
    const drafts: Record<string, DraftOf<K>> = {};
    for (const request of list) drafts[request.id] = old[request.id] ?? specOf(kind).createDraft(request);
    const items = [...s.items.filter((item) => item.kind !== kind), ...list.map((request) => itemOf(kind, request))].sort(byReceived);
    return { items, drafts: { ...s.drafts, [kind]: drafts }, ...pruned(s, items) };
  });
}

/** `openKey` and `aside` without keys whose requests are gone. */
function pruned(s: RequestQueueState, items: QueuedRequest[]): Pick<RequestQueueState, 'openKey' | 'aside'> {
  const keys = new Set(items.map((item) => item.key));
  const aside: Record<string, true> = {};
  for (const key of Object.keys(s.aside)) if (keys.has(key)) aside[key] = true;
  return { openKey: s.openKey !== null && keys.has(s.openKey) ? s.openKey : null, aside };
}

/**
 * A request ended: answered by the user (`reason` says how), or given up by the server or app.
 * If its dialog was showing and the kind keeps it (sampling: cancelled or failed), the dialog
 * stays with the user's edits; otherwise the user is told in a toast when they did not answer.
 */
export function settleRequest<K extends RequestKind>(kind: K, id: string, reason: EndReasonOf<K>, message: string): void {
  const key = requestKey(kind, id);
  const state = get();
  const item = state.items.find((candidate) => candidate.key === key);
  if (!item) return;
  const request = item.request as RequestOf<K>;
  const spec = specOf(kind);
  const draft = draftOf(kind, id);
  const kept = draft !== undefined && selectOpenRequest(state)?.key === key ? spec.keepWhenEnded(reason, draft) : undefined;
  set((s) => {
    const items = s.items.filter((candidate) => candidate.key !== key);
    const { [id]: _gone, ...drafts } = s.drafts[kind] as Record<string, DraftOf<K>>;
    return {
      items,
      drafts: { ...s.drafts, [kind]: drafts },
      ...pruned(s, items),
      ...(kept !== undefined ? { ended: { kind, item, request, draft: kept, reason, message } as EndedRequest } : {}),
    };
  });
  if (kept !== undefined) return;
  const notice = spec.endNotice(request, reason, message);
  if (notice) toast(notice.kind, notice.text);
}

export function patchDraft<K extends RequestKind>(
  kind: K,
  id: string,
  patch: Partial<DraftOf<K>> | ((draft: DraftOf<K>) => Partial<DraftOf<K>>),
): void {
  set((s) => {
    const drafts = s.drafts[kind] as Record<string, DraftOf<K>>;
    const draft = drafts[id];
    if (!draft) return {};
    const changes = typeof patch === 'function' ? patch(draft) : patch;
    if (Object.keys(changes).length === 0) return {};
    return { drafts: { ...s.drafts, [kind]: { ...drafts, [id]: { ...draft, ...changes } } } };
  });
}

// ---------- what the user does ----------

/** Opens a request's dialog (it is no longer aside). A dialog kept for an ended request stays in front until closed. */
export function openRequest(kind: RequestKind, id: string): void {
  const key = requestKey(kind, id);
  set((s) => {
    const { [key]: _was, ...aside } = s.aside;
    return { openKey: key, aside };
  });
}

/** Puts every waiting request aside: the dialog closes; each stays pending, in the Requests view. */
export function putAllAside(): void {
  set((s) => {
    const aside = { ...s.aside };
    for (const item of s.items) if (isWaiting(item)) aside[item.key] = true;
    return { aside };
  });
}

/** Later / Esc: closes a dialog kept for an ended request, else puts the waiting requests aside. */
export function putAside(): void {
  if (get().ended) closeEnded();
  else putAllAside();
}

/** Closes the dialog of a request that ended while shown (the next request, if any, shows). */
export function closeEnded(): void {
  set({ ended: null });
}

// ---------- wiring ----------

/** Loads every kind's pending requests from the host (start, reconnect). */
export async function reloadRequests(): Promise<void> {
  const api = host();
  await Promise.all((Object.keys(KINDS) as RequestKind[]).map(async (kind) => replaceRequests(kind, await specOf(kind).list(api))));
}

function sinkFor<K extends RequestKind>(kind: K): QueueSink<K> {
  return {
    put: (request) => putRequest(kind, request),
    remove: (id, reason, message) => settleRequest(kind, id, reason, message),
    patchDraft: (id, patch) => patchDraft(kind, id, patch),
  };
}

/** Subscribes every kind to its host events, and puts the requests aside when the user navigates (returns the unsubscribe). */
export function subscribeRequests(api: SluiceApi): () => void {
  const off = (Object.keys(KINDS) as RequestKind[]).flatMap((kind) => specOf(kind).subscribe(api, sinkFor(kind)));
  off.push(
    useApp.subscribe((state, previous) => {
      if (state.view !== previous.view) putAllAside();
    }),
  );
  return () => off.forEach((unsubscribe) => unsubscribe());
}
