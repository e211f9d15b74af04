/**
 * The tool-call queue: every gateway call that a rule says to ask about waits here for the person
 * at the keyboard, like sampling and elicitation requests in their brokers. The broker settles each
 * call exactly once, and never with an exception: the user's approval (arguments validated against
 * the tool's input schema), the user's rejection, the app's cancel, a timeout, or quitting. The
 * gate turns every outcome but approval into an `isError` tool result for the app.
 */
import { randomUUID } from 'node:crypto';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { GatewayCaller, PendingToolCall, ToolCallEndReason, AskReason, ToolAnnotationsView } from '../../../shared/toolcalls.js';
import { TOOL_CALL_LIMITS } from '../../../shared/toolcalls.js';
import { onServerCancel } from '../server-cancel.js';
import { TypedEmitter } from '../typed-emitter.js';

/** How long a call waits for the user before the app gets an `isError` answer (apps time out too). */
export const DEFAULT_TOOL_CALL_TIMEOUT_MS = 10 * 60_000;

export interface AskedToolCall {
  /** The gateway's id for the call (it names the dialog); a fresh one when absent. */
  id?: string;
  app: GatewayCaller;
  serverName: string;
  tool: {
    name: string;
    title?: string;
    description?: string;
    inputSchema: Record<string, unknown>;
    annotations?: ToolAnnotationsView;
  };
  arguments: Record<string, unknown>;
  reason: AskReason;
  changes?: string[];
}

export type ToolCallSettlement =
  | { action: 'approve'; id: string; arguments: Record<string, unknown>; always: boolean }
  | { action: 'reject'; id: string; reason?: string }
  /** The app cancelled, nobody answered in time, or Sluice is quitting. */
  | { action: 'closed'; id: string; reason: 'cancelled' | 'timed-out' | 'failed'; message: string };

export type ToolCallBrokerEvents = {
  added: PendingToolCall;
  removed: { id: string; reason: ToolCallEndReason; message: string };
};

interface Pending {
  view: PendingToolCall;
  settle(settlement: ToolCallSettlement): void;
  timer: NodeJS.Timeout;
}

export class UnknownToolCallError extends Error {
  constructor(id: string) {
    super(`No pending tool call ${id}: it was already answered, cancelled or timed out`);
  }
}

export class ToolCallBroker extends TypedEmitter<ToolCallBrokerEvents> {
  private readonly pending = new Map<string, Pending>();
  /** The SDK's own JSON Schema validator (ajv, per-dialect, formats): the same checks a server makes. */
  private readonly validator = new AjvJsonSchemaValidator();

  constructor(private readonly timeoutMs = DEFAULT_TOOL_CALL_TIMEOUT_MS) {
    super();
  }

  list(): PendingToolCall[] {
    return [...this.pending.values()].map((entry) => entry.view);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Queues a call for the user; `signal` is the app's cancel (or its connection closing). */
  enqueue(asked: AskedToolCall, signal?: AbortSignal): Promise<ToolCallSettlement> {
    const id = asked.id ?? randomUUID();
    if (this.pending.has(id)) throw new Error(`The tool call ${id} is already waiting`);
    if (signal?.aborted) return Promise.resolve({ action: 'closed', id, reason: 'cancelled', message: 'The app cancelled the call' });
    const receivedAt = Date.now();
    const view: PendingToolCall = { ...asked, id, receivedAt, deadline: receivedAt + this.timeoutMs };
    return new Promise<ToolCallSettlement>((resolve) => {
      const timer = setTimeout(
        () => this.close(id, 'timed-out', `Nobody answered in Sluice within ${Math.round(this.timeoutMs / 1000)} s`),
        this.timeoutMs,
      );
      this.pending.set(id, { view, settle: resolve, timer });
      onServerCancel(signal, () => this.close(id, 'cancelled', 'The app cancelled the call'));
      this.emit('added', view);
    });
  }

  /** Problems with `args` against the tool's input schema, one readable line each (empty: valid). */
  validate(id: string, args: unknown): string[] {
    return this.check(this.require(id).view.tool.inputSchema, args);
  }

  /**
   * The user's approval. Invalid arguments throw with the problems and leave the call pending, so
   * the dialog can show them; nothing invalid reaches the server through Sluice.
   */
  approve(id: string, args: Record<string, unknown>, always = false): void {
    const entry = this.require(id);
    if (JSON.stringify(args).length > TOOL_CALL_LIMITS.argumentsChars) {
      throw new Error(`The arguments are too large (more than ${TOOL_CALL_LIMITS.argumentsChars} characters of JSON)`);
    }
    const problems = this.check(entry.view.tool.inputSchema, args);
    if (problems.length) throw new Error(`The arguments do not match the tool's input schema: ${problems.join('; ')}`);
    this.finish(
      id,
      { action: 'approve', id, arguments: args, always },
      'approved',
      always ? 'Approved, and the tool is now always allowed' : 'Approved',
    );
  }

  reject(id: string, reason?: string): void {
    this.require(id);
    this.finish(id, { action: 'reject', id, reason }, 'rejected', reason?.trim() ? `Rejected: ${reason.trim()}` : 'Rejected');
  }

  /** Closes every pending call from one server (it was removed or stopped). */
  failServer(serverName: string, message: string): void {
    for (const entry of [...this.pending.values()]) if (entry.view.serverName === serverName) this.close(entry.view.id, 'failed', message);
  }

  failAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.close(id, 'failed', message);
  }

  private check(schema: Record<string, unknown>, args: unknown): string[] {
    let validate: ReturnType<AjvJsonSchemaValidator['getValidator']>;
    try {
      validate = this.validator.getValidator(schema);
    } catch {
      // A schema the validator cannot compile is the server's problem; the server validates again.
      return [];
    }
    const result = validate(args);
    return result.valid ? [] : readableProblems(result.errorMessage);
  }

  private close(id: string, reason: 'cancelled' | 'timed-out' | 'failed', message: string): void {
    if (!this.pending.has(id)) return;
    this.finish(id, { action: 'closed', id, reason, message }, reason, message);
  }

  private finish(id: string, settlement: ToolCallSettlement, reason: ToolCallEndReason, message: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.settle(settlement);
    this.emit('removed', { id, reason, message });
  }

  private require(id: string): Pending {
    const entry = this.pending.get(id);
    if (!entry) throw new UnknownToolCallError(id);
    return entry;
  }
}

/** ajv's "data/n must be integer, data must have required property 'path'" as one line per problem. */
export function readableProblems(errorMessage: string): string[] {
  return errorMessage
    .split(/,\s(?=data\b)/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const nested = /^data\/(\S+) (.*)$/.exec(line);
      if (nested) return `${nested[1]!.replace(/\//g, '.')}: ${nested[2]}`;
      return line.replace(/^data /, 'arguments ');
    });
}
