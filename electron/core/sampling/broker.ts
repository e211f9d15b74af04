/**
 * The sampling broker: every `sampling/createMessage` a server makes becomes a pending request
 * here, waiting for the person at the keyboard. The broker owns the queue, applies the server's
 * policy (ask, auto-approve within caps, deny; rate limits, daily budget; the global pause), runs
 * the model when the user approves, and settles the server's request exactly once: with the
 * answer the user sent, or with a JSON-RPC error that names the cause (rejection, policy, model
 * failure, cancellation, server gone).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { z } from 'zod';
import {
  MANUAL_PROVIDER_ID,
  type Generation,
  type SamplingHistoryEntry,
  type ModelRef,
  type PendingSampling,
  type SamplingEndReason,
  type SamplingFix,
  type SamplingProblem,
  type SamplingRoute,
  type ServerSamplingPolicy,
  type ToolCallRef,
} from '../../../shared/domain.js';
import {
  contentBlocks,
  CreateMessageParamsSchema,
  SamplingErrorCode,
  type CreateMessageParams,
  type CreateMessageResult,
} from '../../../shared/mcp.js';
import { MissingApiKeyError, type ProviderRegistry } from '../providers/registry.js';
import { TypedEmitter } from '../typed-emitter.js';
import { chooseModel } from './model-choice.js';
import { describeEdits } from './param-edits.js';
import { admit, DEFAULT_POLICY, RateLimiter } from './policy.js';
import { lineDiff } from '../../../shared/text-diff.js';
import { estimateCost } from './usage.js';
import { samplingLimitViolation, toolResultViolation } from './request-limits.js';
import { onServerCancel } from '../server-cancel.js';

/**
 * Requests one server may have waiting at once. Past it the oldest is refused: a server cannot
 * grow the queue (and the memory behind it) without bound, and the newest request is the one the
 * server is most likely still waiting for.
 */
export const MAX_PENDING_PER_SERVER = 32;

/**
 * The `sampling` capability Sluice declares (spec 2025-11-25): tools work (the model's tool calls
 * go back as `tool_use`, `tool_result` messages are accepted). `context` is not declared: the
 * spec soft-deprecates includeContext thisServer/allServers and asks servers not to use them
 * unless a client declares it; a server that sends them anyway still gets the dialog's
 * keep-or-strip choice.
 */
export const SAMPLING_CAPABILITY = { tools: {} } as const;

export interface SamplingOrigin {
  serverName: string;
  route: SamplingRoute;
  /** The tool call that led to the request, and the calling app when it came through the gateway. */
  toolCall?: ToolCallRef;
  /** When the server will give up, only if actually known (see PendingSampling.deadline). */
  deadline?: number;
  /** The JSON-RPC id of the server's request. */
  mcpRequestId?: string | number;
}

export type BrokerEvents = {
  added: PendingSampling;
  removed: { id: string; reason: SamplingEndReason; message: string };
  delta: { id: string; text: string };
  history: SamplingHistoryEntry;
  /** A request could not be served (policy, limit, missing key, model failure on auto-approve). */
  problem: SamplingProblem;
};

export interface BrokerOptions {
  /** The per-server policies and the pause switch; without it every server is on Ask. */
  policies?: {
    readonly paused: boolean;
    policyFor(serverName: string): ServerSamplingPolicy;
    /**
     * Whether `fingerprint` (stored with an auto-approve policy) is that of the server definition
     * running now. Without this check, auto-approve is never applied.
     */
    fingerprintMatches?(serverName: string, fingerprint: string | undefined): boolean;
  };
  /** Tokens the server used today (its daily budget counts these). */
  tokensUsedToday?(serverName: string): number;
  /** What includeContext thisServer / allServers would add, if anything. */
  contextFor?(serverName: string, scope: 'thisServer' | 'allServers'): string | undefined;
}

type Decision = NonNullable<SamplingHistoryEntry['decision']>;

interface Pending {
  view: PendingSampling;
  settle: { resolve(result: CreateMessageResult): void; reject(error: Error): void };
  /** Auto-approved requests never reach the UI's queue. */
  hidden: boolean;
  decision: Decision;
  approvedParams?: CreateMessageParams;
  keepContext?: boolean;
  model?: ModelRef;
  generation?: AbortController;
  generated?: Generation;
  /** The last model failure, reported to the server if the user then gives up. */
  lastError?: string;
  /** Tokens held against the server's daily budget until the request ends. */
  reservedTokens: number;
}

export class UnknownRequestError extends Error {
  constructor(id: string) {
    super(`No pending sampling request ${id}: it was already answered, rejected or cancelled`);
  }
}

export class SamplingBroker extends TypedEmitter<BrokerEvents> {
  private readonly pending = new Map<string, Pending>();
  private readonly rateLimiter = new RateLimiter();
  /** Per server: the maxTokens of admitted requests still in flight, counted against the daily budget. */
  private readonly reservedTokens = new Map<string, number>();

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly recordHistory: (entry: SamplingHistoryEntry) => Promise<void>,
    private readonly options: BrokerOptions = {},
  ) {
    super();
  }

  /** The requests waiting for the user (auto-approved ones are not listed). */
  list(): PendingSampling[] {
    return [...this.pending.values()].filter((entry) => !entry.hidden).map((entry) => entry.view);
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
    const overLimit = samplingLimitViolation(params) ?? toolResultViolation(params);
    if (overLimit) {
      return Promise.reject(new ProtocolError(SamplingErrorCode.InvalidParams, `Invalid sampling request: ${overLimit}`));
    }
    const serverName = origin.serverName;
    const policy = this.options.policies?.policyFor(serverName) ?? DEFAULT_POLICY;
    const cappedMaxTokens =
      policy.policy === 'auto' && policy.maxTokens !== undefined ? Math.min(policy.maxTokens, params.maxTokens) : params.maxTokens;
    const admission = admit({
      serverName,
      paused: this.options.policies?.paused ?? false,
      policy,
      withinRateLimit: () => this.rateLimiter.tryTake(serverName, policy.requestsPerMinute),
      tokensUsedToday: () => this.options.tokensUsedToday?.(serverName) ?? 0,
      tokensReserved: () => this.reservedTokens.get(serverName) ?? 0,
      maxTokens: cappedMaxTokens,
      trusted: () => this.options.policies?.fingerprintMatches?.(serverName, policy.fingerprint) ?? false,
    });
    const auto = admission.kind === 'auto';
    const scope = params.includeContext === 'thisServer' || params.includeContext === 'allServers' ? params.includeContext : undefined;
    const contextText = scope ? this.options.contextFor?.(serverName, scope) : undefined;
    const view: PendingSampling = {
      id: randomUUID(),
      serverName,
      receivedAt: Date.now(),
      route: origin.route,
      toolCall: origin.toolCall,
      params,
      deadline: origin.deadline,
      ...(origin.mcpRequestId !== undefined && { mcpRequestId: origin.mcpRequestId }),
      suggestedModel: chooseModel(params.modelPreferences, this.providers.models(), {
        serverName,
        defaultModel: policy.defaultModel,
        allowed: auto ? policy.allowedModels : undefined,
      }),
      ...(scope && contextText !== undefined && { context: { scope, text: contextText } }),
    };
    if (admission.kind === 'refuse') return this.refuse(view, admission.message, admission.fix);
    this.refuseOldestPastCap(serverName);

    return new Promise<CreateMessageResult>((resolve, reject) => {
      const reservedTokens = policy.dailyTokenBudget !== undefined ? cappedMaxTokens : 0;
      const entry: Pending = { view, settle: { resolve, reject }, hidden: auto, decision: auto ? 'auto' : 'user', reservedTokens };
      this.reservedTokens.set(serverName, (this.reservedTokens.get(serverName) ?? 0) + reservedTokens);
      this.pending.set(view.id, entry);
      onServerCancel(signal, (message) => {
        // The SDK also aborts handlers of requests we already answered when a connection closes.
        if (!this.pending.has(view.id)) return;
        this.finish(view.id, 'cancelled', message, { error: new ProtocolError(SamplingErrorCode.InternalError, 'Request cancelled') });
      });
      if (auto) void this.answerAutomatically(entry, policy);
      else this.emit('added', view);
    });
  }

  /** Runs the model with the user's (edited) params; text streams as `delta` events. */
  async generate(id: string, params: CreateMessageParams, model: ModelRef, keepContext?: boolean): Promise<Generation> {
    const entry = this.require(id);
    entry.generation?.abort();
    const controller = new AbortController();
    entry.generation = controller;
    entry.approvedParams = params;
    entry.keepContext = keepContext;
    entry.model = model;
    entry.generated = undefined;
    const started = Date.now();
    try {
      const { runner } = await this.providers.runner(model.providerId, model.model);
      const output = await runner.run({
        params: this.withContext(entry, params),
        model: model.model,
        signal: controller.signal,
        onDelta: (text) => this.emit('delta', { id, text }),
      });
      const generation: Generation = { ...output, elapsedMs: Date.now() - started };
      if (this.pending.get(id) === entry) {
        entry.generated = generation;
        entry.lastError = undefined;
      }
      return generation;
    } catch (error) {
      if (!controller.signal.aborted) entry.lastError = (error as Error).message;
      throw error;
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
    const entry = this.require(id);
    // After a model failure, "give up" is still the user's rejection (the spec's -1); the message
    // tells the server what went wrong.
    if (entry.lastError && !reason && !entry.generated) {
      const message = `The model call failed and the user gave up: ${entry.lastError}`;
      this.finish(id, 'rejected', message, { error: new ProtocolError(SamplingErrorCode.UserRejected, message, { reason: message }) });
      return;
    }
    this.finish(id, 'rejected', reason ? `Rejected: ${reason}` : 'Rejected by the user', {
      error: new ProtocolError(SamplingErrorCode.UserRejected, 'User rejected sampling request', reason ? { reason } : undefined),
    });
  }

  /** Rejects every waiting request from one server ("apply to all pending from this server"). */
  rejectAll(serverName: string, reason?: string): number {
    const ids = this.list()
      .filter((view) => view.serverName === serverName)
      .map((view) => view.id);
    for (const id of ids) this.reject(id, reason);
    return ids.length;
  }

  /**
   * Approves every waiting request from one server as it stands: each is generated with its
   * preselected model and the answer is sent unedited. Requests preselected for the manual
   * provider cannot be answered this way and stay in the queue.
   */
  async approveAll(serverName: string): Promise<{ approved: number; skipped: number }> {
    const entries = [...this.pending.values()].filter(
      (entry) => !entry.hidden && entry.view.serverName === serverName && !entry.generation,
    );
    let approved = 0;
    let skipped = 0;
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.view.suggestedModel.providerId === MANUAL_PROVIDER_ID) {
          skipped += 1;
          return;
        }
        approved += 1;
        // Approving in bulk shows no server's context to the user, so at most this server's own is kept.
        await this.answerNow(entry, entry.view.params, entry.view.suggestedModel, entry.view.context?.scope === 'thisServer');
      }),
    );
    return { approved, skipped };
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

  // ---------- policy paths ----------

  /** Past the per-server cap, the oldest waiting request of that server is refused. */
  private refuseOldestPastCap(serverName: string): void {
    const waiting = [...this.pending.values()].filter((entry) => entry.view.serverName === serverName);
    for (const entry of waiting.slice(0, Math.max(0, waiting.length - MAX_PENDING_PER_SERVER + 1))) {
      const message = `Too many sampling requests waiting from ${serverName} (at most ${MAX_PENDING_PER_SERVER}): the oldest was refused`;
      this.emit('problem', { serverName, message, at: Date.now() });
      this.finish(entry.view.id, 'failed', message, { error: new ProtocolError(SamplingErrorCode.InternalError, message) });
    }
  }

  /**
   * Refuses before queueing: the server gets an error naming the cause, the user a notice with a
   * fix. The history keeps a digest and a short preview, never the full params: a server that is
   * refused (paused, denied, rate-limited) must not be able to fill the disk with them.
   */
  private refuse(view: PendingSampling, message: string, fix?: SamplingFix): Promise<never> {
    this.emit('problem', { serverName: view.serverName, message, fix, at: Date.now() });
    this.record({
      id: view.id,
      serverName: view.serverName,
      app: view.toolCall?.app,
      route: view.route,
      receivedAt: view.receivedAt,
      decidedAt: Date.now(),
      outcome: 'rejected',
      detail: message,
      originalParams: refusedPreview(view.params),
      paramsDigest: `sha256:${createHash('sha256').update(JSON.stringify(view.params)).digest('hex')}`,
      edits: [],
      answerEdited: false,
      decision: 'policy',
    });
    return Promise.reject(new ProtocolError(SamplingErrorCode.UserRejected, `Sampling request refused: ${message}`));
  }

  /**
   * Auto-approve: the preselected (allowed) model answers within the caps, without asking. Nobody
   * is watching this path, so any failure on it (a keychain that refuses to decrypt, a provider
   * removed meanwhile) settles the request with the error instead of leaving it pending.
   */
  private async answerAutomatically(entry: Pending, policy: ServerSamplingPolicy): Promise<void> {
    try {
      await this.tryAnswerAutomatically(entry, policy);
    } catch (error) {
      if (this.pending.get(entry.view.id) === entry) this.failWithProblem(entry, (error as Error).message, undefined);
    }
  }

  private async tryAnswerAutomatically(entry: Pending, policy: ServerSamplingPolicy): Promise<void> {
    const { view } = entry;
    const model = view.suggestedModel;
    if (model.providerId === MANUAL_PROVIDER_ID) {
      const unrestricted = chooseModel(view.params.modelPreferences, this.providers.models(), { serverName: view.serverName });
      const fix: SamplingFix =
        unrestricted.providerId === MANUAL_PROVIDER_ID
          ? { kind: 'add-provider' }
          : { kind: 'allow-model', serverName: view.serverName, model: { providerId: unrestricted.providerId, model: unrestricted.model } };
      const message =
        fix.kind === 'add-provider'
          ? `No model provider is configured, so requests from ${view.serverName} cannot be auto-approved`
          : `No model is allowed for ${view.serverName}: its auto-approve policy allows none of the configured models`;
      this.failWithProblem(entry, message, fix);
      return;
    }
    const ready = await this.providers.readiness(model.providerId);
    if (!ready.ok) {
      const fix: SamplingFix | undefined =
        ready.error instanceof MissingApiKeyError ? { kind: 'add-key', providerId: ready.error.providerId } : undefined;
      this.failWithProblem(entry, ready.error.message, fix);
      return;
    }
    const params =
      policy.maxTokens !== undefined && view.params.maxTokens > policy.maxTokens
        ? { ...view.params, maxTokens: policy.maxTokens }
        : view.params;
    // Auto-approval keeps this server's own context but never leaks other servers' into it.
    await this.answerNow(entry, params, model, view.context?.scope === 'thisServer');
  }

  /** Generates and sends the unedited answer; a model failure goes to the server as an error. */
  private async answerNow(entry: Pending, params: CreateMessageParams, model: ModelRef, keepContext: boolean): Promise<void> {
    const id = entry.view.id;
    try {
      const generation = await this.generate(id, params, { providerId: model.providerId, model: model.model }, keepContext);
      if (this.pending.get(id) === entry) this.send(id, generation.result);
    } catch (error) {
      if (this.pending.get(id) !== entry) return;
      const message = (error as Error).message;
      const fix: SamplingFix | undefined =
        error instanceof MissingApiKeyError ? { kind: 'add-key', providerId: error.providerId } : undefined;
      // Auto-approved: the server learns why. Approved in bulk by the user: it stays in the queue to retry.
      if (entry.hidden) this.failWithProblem(entry, message, fix);
      else this.emit('problem', { serverName: entry.view.serverName, message, fix, at: Date.now() });
    }
  }

  private failWithProblem(entry: Pending, message: string, fix: SamplingFix | undefined): void {
    this.emit('problem', { serverName: entry.view.serverName, message, fix, at: Date.now() });
    this.finish(entry.view.id, 'failed', message, {
      error: new ProtocolError(SamplingErrorCode.InternalError, `Sampling request could not be served: ${message}`),
    });
  }

  private withContext(entry: Pending, params: CreateMessageParams): CreateMessageParams {
    const context = entry.view.context;
    if (!context || !entry.keepContext || !context.text) return params;
    const system = [params.systemPrompt, context.text].filter(Boolean).join('\n\n');
    return { ...params, systemPrompt: system };
  }

  // ---------- settling ----------

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
    const left = (this.reservedTokens.get(entry.view.serverName) ?? 0) - entry.reservedTokens;
    if (left > 0) this.reservedTokens.set(entry.view.serverName, left);
    else this.reservedTokens.delete(entry.view.serverName);
    if ('result' in outcome) entry.settle.resolve(outcome.result);
    else entry.settle.reject(outcome.error);
    if (!entry.hidden) this.emit('removed', { id, reason, message });
    const sent = 'result' in outcome ? outcome.result : undefined;
    const generated = entry.generated?.result;
    const answerEdited = Boolean(sent && generated && JSON.stringify(sent.content) !== JSON.stringify(generated.content));
    const edits = entry.approvedParams ? describeEdits(entry.view.params, entry.approvedParams) : [];
    if (entry.view.context && entry.approvedParams) {
      edits.push(entry.keepContext ? `context (${entry.view.context.scope}) kept` : `context (${entry.view.context.scope}) stripped`);
    }
    const usage = entry.generated?.usage;
    this.record({
      id,
      serverName: entry.view.serverName,
      app: entry.view.toolCall?.app,
      route: entry.view.route,
      receivedAt: entry.view.receivedAt,
      decidedAt: Date.now(),
      outcome: reason,
      mcpRequestId: entry.view.mcpRequestId,
      detail: reason === 'sent' ? (entry.decision === 'auto' ? "Auto-approved by the server's policy" : undefined) : message,
      originalParams: entry.view.params,
      approvedParams: entry.approvedParams,
      edits,
      model: entry.model,
      generated,
      sent,
      answerEdited,
      usage,
      latencyMs: entry.generated?.elapsedMs,
      // The server cancelling, timing out or going away first is nobody's decision (a policy's still is).
      decision: entry.decision === 'user' && (reason === 'cancelled' || reason === 'failed') ? undefined : entry.decision,
      costUsd: entry.model ? estimateCost(usage, this.providers.profile(entry.model.providerId, entry.model.model)) : undefined,
      answerDiff: answerEdited && sent && generated ? lineDiff(textOf(generated), textOf(sent)) : undefined,
    });
  }

  private record(entry: SamplingHistoryEntry): void {
    this.emit('history', entry);
    this.recordHistory(entry).catch((error: unknown) => {
      console.error('sluice: could not write the history entry', error);
    });
  }
}

/** What the history keeps of a refused request: the first messages' text, cut short; media by size only. */
const PREVIEW_MESSAGES = 3;
const PREVIEW_CHARS = 500;
function refusedPreview(params: CreateMessageParams): CreateMessageParams {
  const cut = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${text.length} characters)` : text);
  const messages = params.messages.slice(0, PREVIEW_MESSAGES).map((message) => ({
    role: message.role,
    content: {
      type: 'text' as const,
      text: cut(
        contentBlocks(message.content)
          .map((block) => (block.type === 'text' ? block.text : `[${block.type}, ${JSON.stringify(block).length} characters]`))
          .join('\n'),
      ),
    },
  }));
  if (params.messages.length > PREVIEW_MESSAGES) {
    messages.push({
      role: 'user',
      content: { type: 'text', text: `… ${params.messages.length - PREVIEW_MESSAGES} more message(s) not recorded` },
    });
  }
  return {
    messages,
    maxTokens: params.maxTokens,
    ...(params.systemPrompt !== undefined && { systemPrompt: cut(params.systemPrompt) }),
    ...(params.includeContext !== undefined && { includeContext: params.includeContext }),
  };
}

function textOf(result: CreateMessageResult): string {
  return contentBlocks(result.content)
    .map((block) => (block.type === 'text' ? block.text : `[${block.type}]`))
    .join('\n');
}
