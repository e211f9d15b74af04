/**
 * The gateway's ToolCallGate, GatewayExposure and activity recorder for tool calls.
 *
 *  - decide(): the rule says allow → forward; deny → an `isError` result that says so; ask → the
 *    broker's queue, and the user's approval (possibly with edited arguments) is forwarded while a
 *    rejection, a cancel or a timeout becomes an `isError` result. Never a transport error: the
 *    agent reads the text and can adapt.
 *  - isExposed(): the app token's hidden servers and tools, on top of the gateway's own switch.
 *  - record(): every completed call becomes a history entry (time, app, server, tool, arguments as
 *    sent and as first asked, outcome, duration, result size, who decided).
 *
 * The gateway hands decide() the call and later hands record() its outcome; the two are joined by
 * the call's explicit `callId` (never by its arguments: two apps may send identical ones at the
 * same moment). The same id names the call's dialog in the queue and its history entry.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { GatewayCaller, ToolCallHistoryEntry, ToolCallOutcome } from '../../../shared/toolcalls.js';
import type { GatewayApp, GatewayCallRecord, GatewayExposure, ToolCallDecision, ToolCallGate, ToolCallRequest } from '../gateway/seams.js';
import type { ToolCallBroker } from './broker.js';
import { describeValueChanges, type ToolDefinition } from './definition.js';
import { declineText, decideToolCall } from './policy.js';
import type { ToolCallStore } from './store.js';

/** What the gate knew when it decided, kept until the gateway reports the call's end. */
interface DecisionNote {
  decision: ToolCallHistoryEntry['decision'];
  /** Set when the gate answered the app itself. */
  refusal?: { outcome: ToolCallOutcome; detail: string };
  originalArguments?: Record<string, unknown>;
  edits: string[];
}

/** The calling app as the dialog and the history show it; its self-description is cut to the schema's bounds. */
export function callingApp(app: GatewayApp): GatewayCaller {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return {
    tokenId: cut(app.tokenId, 200),
    label: cut(app.tokenLabel, 200),
    name: cut(app.clientInfo.title ?? app.clientInfo.name, 200),
    version: app.clientInfo.version ? cut(app.clientInfo.version, 100) : undefined,
  };
}

export function toolDefinition(tool: ToolCallRequest['tool']): ToolDefinition {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations,
  };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export class ToolCallGateway implements ToolCallGate, GatewayExposure {
  /** Decisions waiting for their call's record, by call id; record() takes them out. */
  private readonly notes = new Map<string, DecisionNote>();

  constructor(
    private readonly store: ToolCallStore,
    private readonly broker: ToolCallBroker,
    private readonly onRecord: (entry: ToolCallHistoryEntry) => void,
    /** The gateway's own exposure (its per-server switch); everything when absent. */
    private readonly base?: GatewayExposure,
  ) {}

  isExposed(app: GatewayApp, serverName: string, toolName?: string): boolean {
    if (this.base && !this.base.isExposed(app, serverName, toolName)) return false;
    const view = this.store.exposureFor(app.tokenId);
    if (view.hiddenServers.includes(serverName)) return false;
    return toolName === undefined || !(view.hiddenTools[serverName] ?? []).includes(toolName);
  }

  async decide(call: ToolCallRequest): Promise<ToolCallDecision> {
    const definition = toolDefinition(call.tool);
    const verdict = decideToolCall(call.serverName, this.store.policyFor(call.serverName), definition);
    if (verdict.kind === 'allow') return this.forward(call, call.arguments, { decision: 'policy', edits: [] });
    if (verdict.kind === 'deny')
      return this.refuse(call, { decision: 'policy', edits: [], refusal: { outcome: 'denied', detail: verdict.message } });

    const settled = await this.broker.enqueue(
      {
        id: call.callId,
        app: callingApp(call.app),
        serverName: call.serverName,
        tool: {
          name: call.tool.name,
          title: call.tool.title ?? call.tool.annotations?.title,
          description: call.tool.description,
          inputSchema: call.tool.inputSchema,
          annotations: call.tool.annotations,
        },
        arguments: call.arguments,
        reason: verdict.reason,
        changes: verdict.changes,
      },
      call.signal,
    );
    if (settled.action === 'approve') {
      // "Always allow", and approving a changed definition, remember what the user saw now.
      if (settled.always || verdict.reason === 'changed') await this.store.setToolRule(call.serverName, definition, 'allow');
      const edits = describeValueChanges(call.arguments, settled.arguments);
      return this.forward(call, settled.arguments, {
        decision: 'user',
        edits,
        originalArguments: edits.length ? call.arguments : undefined,
      });
    }
    if (settled.action === 'reject') {
      const text = declineText(call.tool.name, settled.reason);
      return this.refuse(call, { decision: 'user', edits: [], refusal: { outcome: 'rejected', detail: text } });
    }
    const text =
      settled.reason === 'timed-out'
        ? `The call to "${call.tool.name}" waited for the user's approval in Sluice and was not run: ${settled.message}.`
        : `The call to "${call.tool.name}" was not run: ${settled.message}.`;
    return this.refuse(call, {
      decision: 'user',
      edits: [],
      refusal: { outcome: settled.reason === 'failed' ? 'failed' : 'cancelled', detail: text },
    });
  }

  /** The gateway's `onCallCompleted`: one history entry per call. Never throws. */
  record(record: GatewayCallRecord): void {
    try {
      const note = this.notes.get(record.callId);
      this.notes.delete(record.callId);
      const outcome: ToolCallOutcome = note?.refusal?.outcome ?? OUTCOMES[record.outcome];
      this.onRecord({
        kind: 'toolCall',
        id: record.callId,
        app: callingApp(record.app),
        serverName: record.serverName,
        tool: record.tool,
        receivedAt: record.startedAt,
        decidedAt: record.startedAt + record.durationMs,
        outcome,
        decision: note?.decision ?? 'policy',
        arguments: record.arguments,
        originalArguments: note?.originalArguments,
        edits: note?.edits ?? [],
        detail: note?.refusal?.detail ?? record.error,
        durationMs: record.durationMs,
        resultBytes: record.resultBytes,
        ...(record.answeredByApp?.length ? { answeredByApp: record.answeredByApp } : {}),
      });
    } catch (error) {
      console.error('sluice: could not record a gateway tool call', error);
    }
  }

  private forward(call: ToolCallRequest, args: Record<string, unknown>, note: DecisionNote): ToolCallDecision {
    this.notes.set(call.callId, note);
    return { action: 'forward', arguments: { ...args } };
  }

  private refuse(call: ToolCallRequest, note: DecisionNote & { refusal: NonNullable<DecisionNote['refusal']> }): ToolCallDecision {
    this.notes.set(call.callId, note);
    return { action: 'refuse', result: errorResult(note.refusal.detail) };
  }
}

const OUTCOMES: Record<GatewayCallRecord['outcome'], ToolCallOutcome> = {
  result: 'sent',
  'tool-error': 'tool-error',
  error: 'failed',
  refused: 'denied',
  cancelled: 'cancelled',
};
