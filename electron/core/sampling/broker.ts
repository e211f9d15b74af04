/**
 * The sampling broker: every `sampling/createMessage` a server makes becomes a pending request
 * here, waiting for the person at the keyboard. The broker owns the queue, runs the model when
 * the user approves, and settles the server's request exactly once: with the answer the user
 * sent, or with a JSON-RPC error (rejection, cancellation, model failure, server gone).
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { Generation, HistoryEntry, ModelRef, PendingSampling, SamplingEndReason, SamplingRoute } from '../../../shared/domain.js';
import {
  CreateMessageParamsSchema,
  SamplingErrorCode,
  type CreateMessageParams,
  type CreateMessageResult,
} from '../../../shared/mcp.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { TypedEmitter } from '../typed-emitter.js';
import { chooseModel } from './model-choice.js';
import { describeEdits } from './param-edits.js';

/** A 2025 server's own request timeout when it does not set one (the SDKs' default). */
export const TYPICAL_SERVER_TIMEOUT_MS = 60_000;

export interface SamplingOrigin {
  serverName: string;
  route: SamplingRoute;
  toolCall?: { name: string; arguments: Record<string, unknown> };
  /** When the server is expected to give up, if known. */
  deadline?: number;
}

export type BrokerEvents = {
  added: PendingSampling;
  removed: { id: string; reason: SamplingEndReason; message: string };
  delta: { id: string; text: string };
  history: HistoryEntry;
};

interface Pending {
  view: PendingSampling;
  settle: { resolve(result: CreateMessageResult): void; reject(error: Error): void };
  approvedParams?: CreateMessageParams;
  model?: ModelRef;
  generation?: AbortController;
  generated?: Generation;
}

export class UnknownRequestError extends Error {
  constructor(id: string) {
    super(`No pending sampling request ${id}: it was already answered, rejected or cancelled`);
  }
}

export class SamplingBroker extends TypedEmitter<BrokerEvents> {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly recordHistory: (entry: HistoryEntry) => Promise<void>,
  ) {
    super();
  }

  list(): PendingSampling[] {
    return [...this.pending.values()].map((entry) => entry.view);
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Queues a request and resolves with the answer the user sends. `signal` is the server's
   * cancellation (or our connection closing): the request then leaves the queue.
   */
  enqueue(origin: SamplingOrigin, rawParams: unknown, signal?: AbortSignal): Promise<CreateMessageResult> {
    const parsed = CreateMessageParamsSchema.safeParse(rawParams);
    if (!parsed.success) {
      return Promise.reject(
        new ProtocolError(SamplingErrorCode.InvalidParams, `Invalid sampling request: ${z.prettifyError(parsed.error)}`),
      );
    }
    if (signal?.aborted) return Promise.reject(new ProtocolError(SamplingErrorCode.InternalError, 'Request was cancelled'));
    const params = parsed.data;
    const view: PendingSampling = {
      id: randomUUID(),
      serverName: origin.serverName,
      receivedAt: Date.now(),
      route: origin.route,
      toolCall: origin.toolCall,
      params,
      deadline: origin.deadline,
      suggestedModel: chooseModel(params.modelPreferences, this.providers.models()),
    };
    return new Promise<CreateMessageResult>((resolve, reject) => {
      this.pending.set(view.id, { view, settle: { resolve, reject } });
      signal?.addEventListener(
        'abort',
        () => {
          // The SDK also aborts handlers of requests we already answered when a connection closes.
          if (!this.pending.has(view.id)) return;
          const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? '');
          this.finish(view.id, 'cancelled', reason ? `The server cancelled the request: ${reason}` : 'The server cancelled the request', {
            error: new ProtocolError(SamplingErrorCode.InternalError, 'Request cancelled'),
          });
        },
        { once: true },
      );
      this.emit('added', view);
    });
  }

  /** Runs the model with the user's (edited) params; text streams as `delta` events. */
  async generate(id: string, params: CreateMessageParams, model: ModelRef): Promise<Generation> {
    const entry = this.require(id);
    entry.generation?.abort();
    const controller = new AbortController();
    entry.generation = controller;
    entry.approvedParams = params;
    entry.model = model;
    entry.generated = undefined;
    const started = Date.now();
    try {
      const { runner } = await this.providers.runner(model.providerId, model.model);
      const output = await runner.run({
        params,
        model: model.model,
        signal: controller.signal,
        onDelta: (text) => this.emit('delta', { id, text }),
      });
      const generation: Generation = { ...output, elapsedMs: Date.now() - started };
      if (this.pending.get(id) === entry) entry.generated = generation;
      return generation;
    } finally {
      if (entry.generation === controller) entry.generation = undefined;
    }
  }

  stop(id: string): void {
    this.require(id).generation?.abort();
  }

  send(id: string, result: CreateMessageResult): void {
    this.finish(id, 'sent', 'Answer sent to the server', { result });
  }

  reject(id: string, reason?: string): void {
    this.finish(id, 'rejected', reason ? `Rejected: ${reason}` : 'Rejected by the user', {
      error: new ProtocolError(SamplingErrorCode.UserRejected, 'User rejected sampling request', reason ? { reason } : undefined),
    });
  }

  /** Fails every pending request from one server (it crashed, was stopped or removed). */
  failServer(serverName: string, message: string): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.view.serverName !== serverName) continue;
      this.finish(entry.view.id, 'failed', message, {
        error: new ProtocolError(SamplingErrorCode.InternalError, message),
      });
    }
  }

  /** Fails everything (the host is shutting down). */
  failAll(message: string): void {
    for (const id of [...this.pending.keys()]) {
      this.finish(id, 'failed', message, { error: new ProtocolError(SamplingErrorCode.InternalError, message) });
    }
  }

  private require(id: string): Pending {
    const entry = this.pending.get(id);
    if (!entry) throw new UnknownRequestError(id);
    return entry;
  }

  private finish(
    id: string,
    reason: SamplingEndReason,
    message: string,
    outcome: { result: CreateMessageResult } | { error: Error },
  ): void {
    const entry = this.require(id);
    this.pending.delete(id);
    entry.generation?.abort();
    if ('result' in outcome) entry.settle.resolve(outcome.result);
    else entry.settle.reject(outcome.error);
    this.emit('removed', { id, reason, message });
    const sent = 'result' in outcome ? outcome.result : undefined;
    const entryForHistory: HistoryEntry = {
      id,
      serverName: entry.view.serverName,
      route: entry.view.route,
      receivedAt: entry.view.receivedAt,
      decidedAt: Date.now(),
      outcome: reason,
      detail: reason === 'sent' ? undefined : message,
      originalParams: entry.view.params,
      approvedParams: entry.approvedParams,
      edits: entry.approvedParams ? describeEdits(entry.view.params, entry.approvedParams) : [],
      model: entry.model,
      generated: entry.generated?.result,
      sent,
      answerEdited: Boolean(sent && entry.generated && JSON.stringify(sent.content) !== JSON.stringify(entry.generated.result.content)),
      usage: entry.generated?.usage,
      latencyMs: entry.generated?.elapsedMs,
    };
    this.emit('history', entryForHistory);
    this.recordHistory(entryForHistory).catch((error: unknown) => {
      console.error('sluice: could not write the history entry', error);
    });
  }
}
