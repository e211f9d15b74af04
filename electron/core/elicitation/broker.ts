/**
 * The elicitation broker: every `elicitation/create` a server makes becomes a pending request here,
 * waiting for the person at the keyboard, like sampling requests in the sampling broker. The broker
 * owns the queue and settles each server request exactly once, with the user's action (and, for a
 * form, content validated against the server's schema) or with a JSON-RPC error.
 *
 * URL mode: `accept` means the user consented and the URL was opened; the spec has Sluice answer at
 * once. A 2025 server may later send `notifications/elicitation/complete` with the request's
 * `elicitationId`: until then the request stays listed as `opened`, and the notification closes it.
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { ToolCallRef, ElicitationAction, ElicitationEndReason, PendingElicitation, SamplingRoute } from '../../../shared/domain.js';
import {
  checkElicitationUrl,
  parseRequestedSchema,
  validateContent,
  type FormContent,
  type FormField,
} from '../../../shared/elicitation.js';
import { SamplingErrorCode } from '../../../shared/mcp.js';
import { TypedEmitter } from '../typed-emitter.js';
import { onServerCancel } from '../server-cancel.js';

export interface ElicitationOrigin {
  serverName: string;
  route: SamplingRoute;
  toolCall?: ToolCallRef;
  /** The JSON-RPC id of the server's request. */
  mcpRequestId?: string | number;
}

/** What Sluice answers a server: the spec's ElicitResult. */
export interface ElicitAnswer {
  action: ElicitationAction;
  content?: FormContent;
}

/** The request params as the SDK validated them (form or URL mode). */
export interface ElicitParams {
  mode?: 'form' | 'url';
  message: string;
  requestedSchema?: unknown;
  url?: string;
  elicitationId?: string;
}

export type ElicitationBrokerEvents = {
  added: PendingElicitation;
  updated: PendingElicitation;
  removed: { id: string; reason: ElicitationEndReason; message: string };
};

/** Opens a URL outside Sluice (the desktop app: the system browser). */
export type UrlOpener = (url: string) => Promise<void>;

interface Pending {
  view: PendingElicitation;
  fields?: FormField[];
  /** Absent once answered (a URL request waiting for its completion notice). */
  settle?: { resolve(answer: ElicitAnswer): void; reject(error: Error): void };
  /** An opened URL request's end: a server that never confirms must not keep it listed forever. */
  expiry?: ReturnType<typeof setTimeout>;
}

/** How long an opened URL request waits for the server's completion notice before it is dropped. */
export const DEFAULT_CONFIRM_TIMEOUT_MS = 10 * 60_000;

export class UnknownElicitationError extends Error {
  constructor(id: string) {
    super(`No pending elicitation request ${id}: it was already answered or cancelled`);
  }
}

export class ElicitationBroker extends TypedEmitter<ElicitationBrokerEvents> {
  private readonly pending = new Map<string, Pending>();

  /**
   * `openUrl`: set in the desktop app; without it (web mode) the renderer opens URLs itself.
   * `confirmTimeoutMs`: how long an opened URL request waits for the server to confirm it.
   */
  constructor(
    private readonly openUrl?: UrlOpener,
    private readonly confirmTimeoutMs = DEFAULT_CONFIRM_TIMEOUT_MS,
  ) {
    super();
  }

  list(): PendingElicitation[] {
    return [...this.pending.values()].map((entry) => entry.view);
  }

  /** Requests still waiting for the user (not URL requests already opened). */
  get size(): number {
    return [...this.pending.values()].filter((entry) => entry.settle).length;
  }

  /**
   * Queues a request and resolves with the user's answer. `signal` is the server's cancellation
   * (or our connection closing): the request then leaves the queue.
   */
  enqueue(origin: ElicitationOrigin, params: ElicitParams, signal?: AbortSignal): Promise<ElicitAnswer> {
    const mode = params.mode ?? 'form';
    let fields: FormField[] | undefined;
    if (mode === 'form') {
      const parsed = parseRequestedSchema(params.requestedSchema);
      if ('error' in parsed) {
        return Promise.reject(new ProtocolError(SamplingErrorCode.InvalidParams, `Invalid elicitation request: ${parsed.error}`));
      }
      fields = parsed.fields;
    } else if (typeof params.url !== 'string') {
      return Promise.reject(new ProtocolError(SamplingErrorCode.InvalidParams, 'Invalid elicitation request: URL mode needs a url'));
    }
    if (signal?.aborted) return Promise.reject(new ProtocolError(SamplingErrorCode.InternalError, 'Request was cancelled'));
    const view: PendingElicitation = {
      id: randomUUID(),
      serverName: origin.serverName,
      receivedAt: Date.now(),
      route: origin.route,
      toolCall: origin.toolCall,
      ...(origin.mcpRequestId !== undefined && { mcpRequestId: origin.mcpRequestId }),
      mode,
      message: params.message,
      requestedSchema: mode === 'form' ? (params.requestedSchema as Record<string, unknown>) : undefined,
      url: mode === 'url' ? params.url : undefined,
      elicitationId: mode === 'url' ? params.elicitationId : undefined,
      status: 'waiting',
    };
    return new Promise<ElicitAnswer>((resolve, reject) => {
      this.pending.set(view.id, { view, fields, settle: { resolve, reject } });
      onServerCancel(signal, (message) => {
        if (this.pending.get(view.id)?.settle) this.fail(view.id, 'cancelled', message);
      });
      this.emit('added', view);
    });
  }

  /**
   * The user's answer. A form's content must satisfy the server's schema (else this throws with
   * the problems and the request stays pending). A URL is checked again and, in the desktop app,
   * opened before Sluice tells the server `accept`.
   */
  async respond(id: string, action: ElicitationAction, content?: Record<string, unknown>): Promise<void> {
    const entry = this.require(id);
    if (action !== 'accept') {
      this.answer(
        entry,
        { action },
        action === 'decline' ? 'declined' : 'cancelled',
        action === 'decline' ? 'Declined by the user' : 'Cancelled by the user',
      );
      return;
    }
    if (entry.view.mode === 'form') {
      const fields = entry.fields ?? [];
      // Sluice declares `applyDefaults`: a field the answer leaves out gets the schema's default
      // here, whatever the renderer sent (spec 2025-11-25, SEP-1034).
      content = withDefaults(fields, content ?? {});
      const errors = validateContent(fields, content);
      const problems = Object.entries(errors);
      if (problems.length) {
        throw new Error(`The answer does not match the form: ${problems.map(([name, message]) => `${name}: ${message}`).join('; ')}`);
      }
      this.answer(entry, { action: 'accept', content: content as FormContent }, 'accepted', 'Sent to the server');
      return;
    }
    const checked = checkElicitationUrl(entry.view.url ?? '');
    if (!checked.ok) throw new Error(checked.error);
    if (this.openUrl) await this.openUrl(checked.url.href);
    // The request may have been cancelled while the browser was starting.
    if (this.pending.get(id) !== entry || !entry.settle) return;
    const settle = entry.settle;
    entry.settle = undefined;
    settle.resolve({ action: 'accept' });
    if (entry.view.elicitationId && entry.view.route === 'push') {
      // A 2025 server can tell us when the browser step is done; keep the request listed until then,
      // but not forever: the notice is optional and a server may never send it.
      entry.view = { ...entry.view, status: 'opened', confirmBy: Date.now() + this.confirmTimeoutMs };
      entry.expiry = setTimeout(
        () => this.remove(id, 'accepted', `${entry.view.serverName} did not confirm the browser step in time`),
        this.confirmTimeoutMs,
      );
      entry.expiry.unref?.();
      this.emit('updated', entry.view);
    } else {
      this.remove(id, 'accepted', 'Opened in the browser');
    }
  }

  /** `notifications/elicitation/complete` from `serverName`: closes the matching URL request. */
  complete(serverName: string, elicitationId: string): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.view.serverName !== serverName || entry.view.elicitationId !== elicitationId) continue;
      if (entry.settle) {
        // Finished elsewhere before the user consented here: nothing left to open.
        this.answer(entry, { action: 'cancel' }, 'completed', 'The server reports the step was completed');
      } else {
        this.remove(entry.view.id, 'completed', 'The server reports the browser step is done');
      }
    }
  }

  /**
   * A URL the server requires before it can answer a call (`-32042` URL elicitation required):
   * shown like a URL-mode request. Resolves true once the user has accepted it and the step is
   * over (the server's completion notice, or the user dismissing it as done); false when the user
   * declined or cancelled, or the request ended otherwise.
   */
  async required(origin: ElicitationOrigin, params: ElicitParams, signal?: AbortSignal): Promise<boolean> {
    let id: string | undefined;
    const stopWatchingAdded = this.on('added', (view) => {
      id ??= view.serverName === origin.serverName && view.url === params.url ? view.id : undefined;
    });
    let answer: ElicitAnswer;
    try {
      answer = await this.enqueue({ ...origin, route: 'push' }, { ...params, mode: 'url' }, signal);
    } catch {
      return false;
    } finally {
      stopWatchingAdded();
    }
    if (answer.action !== 'accept') return false;
    const waiting = id;
    if (!waiting || !this.pending.has(waiting)) return true;
    return new Promise<boolean>((resolve) => {
      const stop = this.on('removed', (removal) => {
        if (removal.id !== waiting) return;
        stop();
        resolve(removal.reason === 'completed' || removal.reason === 'accepted');
      });
    });
  }

  /** Forgets an opened URL request the user no longer wants to watch. */
  dismiss(id: string): void {
    const entry = this.require(id);
    if (entry.settle) throw new Error('This request still waits for an answer: accept, decline or cancel it');
    this.remove(id, 'accepted', 'Dismissed');
  }

  /** Fails every pending request from one server (it crashed, was stopped or removed). */
  failServer(serverName: string, message: string): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.view.serverName === serverName) this.fail(entry.view.id, 'failed', message);
    }
  }

  failAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.fail(id, 'failed', message);
  }

  private require(id: string): Pending {
    const entry = this.pending.get(id);
    if (!entry) throw new UnknownElicitationError(id);
    return entry;
  }

  private answer(entry: Pending, answer: ElicitAnswer, reason: ElicitationEndReason, message: string): void {
    if (!entry.settle) throw new Error('This request was already answered');
    entry.settle.resolve(answer);
    entry.settle = undefined;
    this.remove(entry.view.id, reason, message);
  }

  private fail(id: string, reason: ElicitationEndReason, message: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    if (!entry.settle) {
      // Already answered (an opened URL waiting for its notice): nothing failed, the server just
      // can no longer confirm. Ending it as accepted keeps a restart from raising an error.
      this.remove(id, 'accepted', message);
      return;
    }
    entry.settle.reject(new ProtocolError(SamplingErrorCode.InternalError, message));
    entry.settle = undefined;
    this.remove(id, reason, message);
  }

  private remove(id: string, reason: ElicitationEndReason, message: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    clearTimeout(entry.expiry);
    this.pending.delete(id);
    this.emit('removed', { id, reason, message });
  }
}

/** `content` with the schema's default for every field it leaves out (a copy; `content` is not changed). */
export function withDefaults(fields: readonly FormField[], content: Record<string, unknown>): Record<string, unknown> {
  const filled = { ...content };
  for (const field of fields) {
    if (filled[field.name] !== undefined || field.default === undefined) continue;
    filled[field.name] = Array.isArray(field.default) ? [...field.default] : field.default;
  }
  return filled;
}
