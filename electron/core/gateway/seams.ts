/**
 * The gateway's seams: what other features (tool-call policies, per-app exposure, activity
 * records) plug into, without touching the gateway's protocol code.
 *
 *  - `GatewayApp`: who is calling. One per MCP session an app opens on the endpoint (HTTP or the
 *    stdio relay): the token it presented (id + label, never the secret) and the `clientInfo` and
 *    capabilities it declared in its handshake.
 *  - `ToolCallGate.decide()`: the ONE interception point every forwarded `tools/call` passes
 *    through, after routing (the server and its tool are known) and before the downstream call.
 *    It may rewrite the arguments (`forward`) or answer the app itself (`refuse`, e.g. a policy
 *    denial as an `isError` result). `signal` aborts when the app cancels or disconnects. The
 *    default gate forwards everything unchanged.
 *  - `GatewayExposure.isExposed(app, serverName, toolName?)`: consulted when listing (tools,
 *    resources, prompts) and again when calling, so a hidden tool can neither be seen nor called.
 *    Without `toolName` it asks about the server as a whole. The default exposes every server whose
 *    "exposed through the gateway" switch is on. When an app's view changes, call
 *    `Gateway.notifyListChanged(sessionId?)` and that app (or every app) gets `list_changed`.
 *  - `onCallCompleted(record)`: called once for every `tools/call` that came through the gateway,
 *    whatever its outcome (result, `isError`, JSON-RPC error, refusal, cancellation), for
 *    activity records. It must not throw; it is not awaited.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { AppAnsweredRequest } from '../../../shared/toolcalls.js';

/** A calling app: one MCP session on the gateway endpoint. */
export interface GatewayApp {
  /** Unique per session (HTTP session id or relay connection); stable while the session lives. */
  sessionId: string;
  /** The token the app presented: its id and the label the user gave it (`relay` for the stdio relay). */
  tokenId: string;
  tokenLabel: string;
  /** What the app said it is in its handshake, e.g. `{ name: 'claude-code', version: '2.1.0' }`. */
  clientInfo: { name: string; version: string; title?: string };
  /** The capabilities the app declared (sampling, elicitation, roots …), for pass-through decisions. */
  capabilities: Record<string, unknown>;
  /** `http` (Streamable HTTP directly) or `relay` (through `--mcp-stdio` / mcp-stdio.cjs). */
  via: 'http' | 'relay';
  /** When the session began (epoch ms). */
  connectedAt: number;
}

export interface ToolCallRequest {
  /**
   * Unique per `tools/call` the gateway received; the same id comes back in that call's
   * `GatewayCallRecord`, so a gate can join its decision with the call's outcome.
   */
  callId: string;
  app: GatewayApp;
  /** The downstream server's name in Sluice (not the prefixed gateway name). */
  serverName: string;
  /** The downstream tool as the server listed it (its own name, schema, annotations). */
  tool: Tool;
  arguments: Record<string, unknown>;
  /** Aborts when the app cancels the call or goes away. */
  signal: AbortSignal;
}

export type ToolCallDecision = { action: 'forward'; arguments: Record<string, unknown> } | { action: 'refuse'; result: CallToolResult };

export interface ToolCallGate {
  decide(call: ToolCallRequest): Promise<ToolCallDecision>;
}

/** Forwards every call unchanged. */
export const FORWARD_ALL: ToolCallGate = {
  decide: (call) => Promise.resolve({ action: 'forward', arguments: call.arguments }),
};

export interface GatewayExposure {
  /** Whether `app` may see/call `serverName` (or one of its tools, when `toolName` is given). */
  isExposed(app: GatewayApp, serverName: string, toolName?: string): boolean;
}

export type GatewayCallOutcome = 'result' | 'tool-error' | 'error' | 'refused' | 'cancelled';

/** One completed `tools/call` that came through the gateway. */
export interface GatewayCallRecord {
  /** The `callId` the gate was given for this call. */
  callId: string;
  app: GatewayApp;
  serverName: string;
  tool: string;
  /** The arguments actually sent downstream (after the gate), or the app's when refused/failed before. */
  arguments: Record<string, unknown>;
  outcome: GatewayCallOutcome;
  /** The JSON-RPC error or refusal text, for `error` / `refused` / `cancelled`. */
  error?: string;
  startedAt: number;
  durationMs: number;
  /** Size of the JSON result in bytes (0 when there is none). */
  resultBytes: number;
  /** The server's requests during the call that the app answered itself (pass-through); absent when none. */
  answeredByApp?: AppAnsweredRequest[];
}
