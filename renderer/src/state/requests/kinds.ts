/**
 * Every kind of request a server or an app puts to the user, in one table. The queue
 * (./queue.ts) is written once against this table: ordering, drafts, which dialog is open,
 * Later, and what happens when a request ends. Adding a kind is one entry here (its request,
 * draft and end-reason types in `RequestKinds`, its `KINDS` entry, which the compiler then asks
 * for), its answer actions in a module of its own next to this one, and its dialog body in
 * components/requests/RequestDialog.tsx (the compiler asks for that too).
 */
import type { SluiceApi } from '../../../../shared/contract';
import type {
  ElicitationAction,
  ElicitationEndReason,
  PendingElicitation,
  PendingSampling,
  SamplingEndReason,
} from '../../../../shared/domain';
import { initialDraft, parseRequestedSchema, type FormDraft, type FormField } from '../../../../shared/elicitation';
import type { PendingToolCall, ToolCallEndReason } from '../../../../shared/toolcalls';
import { createDraft as createSamplingDraft, type RequestDraft } from '../../lib/draft';
import type { Errors } from '../../lib/schema-form';
import { startArgumentsEdit, type ArgumentsEdit } from '../../lib/tool-arguments';
import { errorMessage } from '../../lib/format';
import type { Toast } from '../app';

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

/**
 * What the user did in a tool call's dialog, kept here (not in the dialog) so Later, ‹ › and
 * another view never lose it: the arguments as edited (form or JSON), and a reason to reject.
 */
export interface ToolCallDraft extends ArgumentsEdit {
  /** The form's field messages, set by an Approve attempt. */
  formErrors: Errors;
  /** The host's check of the arguments against the input schema (the SDK's validator). */
  problems: string[];
  busy: boolean;
  actionError?: string;
  /** The user chose Reject…: the reason field shows instead of the approve buttons. */
  rejecting: boolean;
  reason: string;
}

/** Per kind: what the host sends, what the user edits, and why it can end. */
export interface RequestKinds {
  sampling: { request: PendingSampling; draft: RequestDraft; endReason: SamplingEndReason };
  elicitation: { request: PendingElicitation; draft: ElicitationDraft; endReason: ElicitationEndReason };
  toolCall: { request: PendingToolCall; draft: ToolCallDraft; endReason: ToolCallEndReason };
}

export type RequestKind = keyof RequestKinds;
export type RequestOf<K extends RequestKind> = RequestKinds[K]['request'];
export type DraftOf<K extends RequestKind> = RequestKinds[K]['draft'];
export type EndReasonOf<K extends RequestKind> = RequestKinds[K]['endReason'];

/** One entry of the queue: the discriminated union over every kind. `key` is unique across kinds. */
export type QueuedRequest = { [K in RequestKind]: { kind: K; key: string; request: RequestOf<K> } }[RequestKind];

/** How a kind's host events reach the queue. */
export interface QueueSink<K extends RequestKind> {
  /** A new request, or a changed one (an elicitation opened in the browser): its draft is kept. */
  put: (request: RequestOf<K>) => void;
  remove: (id: string, reason: EndReasonOf<K>, message: string) => void;
  patchDraft: (id: string, patch: (draft: DraftOf<K>) => Partial<DraftOf<K>>) => void;
}

export interface KindSpec<K extends RequestKind> {
  /** The host's requests of this kind that are still pending (after a start or a reconnect). */
  list: (api: SluiceApi) => Promise<RequestOf<K>[]>;
  /** Subscribes to the kind's host events; returns the unsubscribes. */
  subscribe: (api: SluiceApi, sink: QueueSink<K>) => Array<() => void>;
  createDraft: (request: RequestOf<K>) => DraftOf<K>;
  /** Whether it waits for the user (an accepted URL elicitation waits for the server instead). */
  waiting: (request: RequestOf<K>) => boolean;
  /**
   * It ended while its dialog was showing: the draft to keep showing in a "the server gave up"
   * state until the user closes it, or undefined to close the dialog.
   */
  keepWhenEnded: (reason: EndReasonOf<K>, draft: DraftOf<K>) => DraftOf<K> | undefined;
  /** What the user is told when it ends without their own answer (undefined: nothing). */
  endNotice: (request: RequestOf<K>, reason: EndReasonOf<K>, message: string) => { kind: Toast['kind']; text: string } | undefined;
  /** Who asks, as the user knows them (a server, or the app calling through the gateway). */
  askedBy: (request: RequestOf<K>) => string;
  /** The body of the OS notification when it arrives while the page is in the background. */
  notification: (request: RequestOf<K>) => string;
}

function createElicitationDraft(request: PendingElicitation): ElicitationDraft {
  if (request.mode !== 'form') return { fields: [], values: {}, touched: {}, submitted: false };
  const parsed = parseRequestedSchema(request.requestedSchema);
  if ('error' in parsed) return { fields: [], schemaError: parsed.error, values: {}, touched: {}, submitted: false };
  return { fields: parsed.fields, values: initialDraft(parsed.fields), touched: {}, submitted: false };
}

function createToolCallDraft(call: PendingToolCall): ToolCallDraft {
  return {
    ...startArgumentsEdit(call.tool.inputSchema, call.arguments),
    formErrors: {},
    problems: [],
    busy: false,
    rejecting: false,
    reason: '',
  };
}

const detailOf = (message: string) => (message.trim() ? `: ${message.trim()}` : '.');

export const KINDS: { [K in RequestKind]: KindSpec<K> } = {
  sampling: {
    list: (api) => api.invoke('sampling:list', {}),
    subscribe: (api, sink) => [
      api.on('sampling:added', (request) => sink.put(request)),
      api.on('sampling:removed', ({ id, reason, message }) => sink.remove(id, reason, message)),
      api.on('sampling:delta', ({ id, text }) =>
        sink.patchDraft(id, (d) => (d.phase === 'generating' ? { streamed: d.streamed + text } : {})),
      ),
    ],
    createDraft: createSamplingDraft,
    waiting: () => true,
    // The user is looking at it: keep the dialog and their edits (nothing can be sent any more).
    keepWhenEnded: (reason, draft) => (reason === 'cancelled' || reason === 'failed' ? { ...draft, busy: undefined } : undefined),
    endNotice: (request, reason, message) => {
      const detail = message.trim() ? `: ${errorMessage(message.trim())}` : '.';
      if (reason === 'cancelled')
        return { kind: 'warning', text: `Request from ${request.serverName} was cancelled by the server${detail}` };
      if (reason === 'failed') return { kind: 'error', text: `Request from ${request.serverName} failed${detail}` };
      return undefined;
    },
    askedBy: (request) => request.serverName,
    notification: (request) => `${request.serverName} asks for a model completion.`,
  },
  elicitation: {
    list: (api) => api.invoke('elicitation:list', {}),
    subscribe: (api, sink) => [
      api.on('elicitation:added', (request) => sink.put(request)),
      api.on('elicitation:updated', (request) => sink.put(request)),
      api.on('elicitation:removed', ({ id, reason, message }) => sink.remove(id, reason, message)),
    ],
    createDraft: createElicitationDraft,
    waiting: (request) => request.status === 'waiting',
    keepWhenEnded: () => undefined,
    endNotice: (request, reason, message) => {
      if (reason === 'completed') return { kind: 'success', text: `${request.serverName} reports the browser step is done.` };
      if (reason === 'cancelled')
        return { kind: 'warning', text: `The request from ${request.serverName} was cancelled by the server${detailOf(message)}` };
      if (reason === 'failed') return { kind: 'error', text: `The request from ${request.serverName} ended${detailOf(message)}` };
      return undefined;
    },
    askedBy: (request) => request.serverName,
    notification: (request) => `${request.serverName} asks you ${request.mode === 'url' ? 'to open a page' : 'for information'}.`,
  },
  toolCall: {
    list: (api) => api.invoke('toolCalls:list', {}),
    subscribe: (api, sink) => [
      api.on('toolCalls:added', (call) => sink.put(call)),
      api.on('toolCalls:removed', ({ id, reason, message }) => sink.remove(id, reason, message)),
    ],
    createDraft: createToolCallDraft,
    waiting: () => true,
    keepWhenEnded: () => undefined,
    endNotice: (call, reason, message) => {
      if (reason === 'cancelled') return { kind: 'warning', text: `${call.app.name} cancelled its call to ${call.tool.name}.` };
      if (reason === 'timed-out' || reason === 'failed')
        return { kind: 'error', text: `The call to ${call.tool.name} from ${call.app.name} ended: ${message}` };
      return undefined;
    },
    askedBy: (call) => call.app.name,
    notification: (call) => `${call.app.name} wants to run ${call.tool.name} on ${call.serverName}.`,
  },
};

/** The queue key of a request: ids come from different brokers, so the kind is part of it. */
export function requestKey(kind: RequestKind, id: string): string {
  return `${kind}:${id}`;
}

export function specOf<K extends RequestKind>(kind: K): KindSpec<K> {
  return KINDS[kind];
}

/** A table entry's function applied to a queued request of any kind (one cast: TypeScript cannot correlate a union's kind with a mapped table). */
function call<R>(item: QueuedRequest, pick: (spec: KindSpec<RequestKind>) => (request: never) => R): R {
  return (pick(specOf(item.kind)) as (request: QueuedRequest['request']) => R)(item.request);
}

export function isWaiting(item: QueuedRequest): boolean {
  return call(item, (spec) => spec.waiting);
}

export function askedBy(item: QueuedRequest): string {
  return call(item, (spec) => spec.askedBy);
}

export function notificationText(item: QueuedRequest): string {
  return call(item, (spec) => spec.notification);
}
