/**
 * The MCP server one app talks to: the official SDK's low-level `Server` (v2), its handlers
 * answering from the catalog and forwarding to the real servers. One instance per 2025-era
 * session, or per request in the 2026-07-28 era (createMcpHandler); either way `appOf` says who
 * is calling.
 *
 * A forwarded `tools/call` behaves like a direct call: the app's progress token gets the server's
 * progress, the app's cancellation is sent on, JSON-RPC errors keep their code and message,
 * results (isError, structuredContent, _meta) pass unchanged. A server that is not connected
 * (restarting, crashed) answers at once with an error that says so.
 */

import { randomUUID } from 'node:crypto';
import {
  SdkErrorCode,
  type CallToolResult,
  type CreateMessageResult,
  type ElicitResult,
  type ListRootsResult,
} from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode, Server, type LoggingLevel, type ServerContext } from '@modelcontextprotocol/server';
import { MAX_APP_ANSWERS_RECORDED, type AppAnsweredRequest } from '../../../shared/toolcalls.js';
import { declaredElicitationModes } from '../elicitation/user-requests.js';
import { CLIENT_INFO, type AppAnswerer } from '../servers/connection.js';
import type { GatewayCatalog, UnavailableServer } from './catalog.js';
import type { GatewayApp, GatewayCallRecord, ToolCallGate } from './seams.js';

/**
 * The forwarded requests in flight, by downstream server: a server's log messages go to the apps
 * whose requests it is serving, on those requests' own streams (both eras), at the level each app
 * asked for (`logging/setLevel` in a 2025 session, the request's log level in 2026-07-28).
 */
export class InFlightRequests {
  private readonly byServer = new Map<string, Set<LogSink>>();

  /** Registers a request (by where its logs go) as waiting on `serverName`; answers the function that removes it. */
  add(serverName: string, sink: LogSink): () => void {
    let set = this.byServer.get(serverName);
    if (!set) this.byServer.set(serverName, (set = new Set()));
    set.add(sink);
    return () => {
      set.delete(sink);
      if (set.size === 0 && this.byServer.get(serverName) === set) this.byServer.delete(serverName);
    };
  }

  /** Forwards one of the server's log messages (`notifications/message`) to the apps it is serving now. */
  forwardLog(serverName: string, message: { level: LoggingLevel; logger?: string; data: unknown }): void {
    const requests = this.byServer.get(serverName);
    if (!requests) return;
    // The app learns which server spoke: its logger is prefixed with the server's name.
    const logger = message.logger ? `${serverName}/${message.logger}` : serverName;
    for (const sink of requests) void sink.log(message.level, message.data, logger).catch(() => undefined);
  }
}

/** Where a server's log messages go while it serves one of the app's requests (the SDK's `ctx.mcpReq`, at the app's level). */
export interface LogSink {
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
}

/**
 * An app's `tools/call`, however it arrived: through the SDK's handler (appCallOf), or taken off a
 * relay connection directly (relay-calls.ts). What callTool() needs of it and nothing more.
 */
export interface AppCall {
  /** The app cancelled the call, or went away. */
  signal: AbortSignal;
  progressToken?: string | number;
  /** A notification on the call's own stream (its progress). */
  notify: (notification: { method: 'notifications/progress'; params: Record<string, unknown> }) => Promise<void>;
  /** Sends a request to the app on the call's stream (pass-through); absent when the app cannot be asked. */
  send?: (
    request: { method: AppAnsweredRequest['method']; params?: Record<string, unknown> },
    options: { signal: AbortSignal; timeout: number },
  ) => Promise<unknown>;
  log: LogSink;
}

/** Where a server's logs go while it serves this request of the app's. */
const logsOf = (ctx: ServerContext): LogSink => ({ log: (level, data, logger) => ctx.mcpReq.log(level, data, logger) });

/** The AppCall of a request the SDK's server handed to our handler. */
function appCallOf(ctx: ServerContext): AppCall {
  // The app dropped the HTTP request it waits on (it closed, crashed): Sluice keeps no events to
  // resume a stream, so the answer could never arrive.
  const dropped = ctx.http?.req?.signal;
  return {
    signal: dropped ? AbortSignal.any([ctx.mcpReq.signal, dropped]) : ctx.mcpReq.signal,
    progressToken: ctx.mcpReq._meta?.progressToken,
    notify: (notification) => ctx.mcpReq.notify(notification),
    // Pass-through needs a connection Sluice can push a request on: a 2025-era one (an HTTP session,
    // or the relay's stdio framing). A 2026-07-28 request carries its envelope and that era has no server push.
    ...(ctx.mcpReq.envelope === undefined ? { send: (request, options) => ctx.mcpReq.send(request, options) } : {}),
    log: logsOf(ctx),
  } satisfies AppCall;
}

export interface AppServerDeps {
  catalog: GatewayCatalog;
  inFlight: InFlightRequests;
  gate(): ToolCallGate;
  onCallCompleted(record: GatewayCallRecord): void;
  /** A call started or ended (the "Connect apps" view counts them). */
  onCallCounted?(app: GatewayApp): void;
}

const INSTRUCTIONS =
  'Sluice: the tools, resources and prompts of the MCP servers configured in Sluice, named <server>__<name>. ' +
  'When a server asks for a model completion, for input or for its roots, the user answers in Sluice, ' +
  'unless the user set that server to pass such requests to the calling app (then this app is asked, for what it declared).';

/** Fields of an app's handshake we keep, bounded (the app controls them). */
function clip(text: string | undefined, max: number): string {
  return (text ?? '').slice(0, max);
}

export function describeApp(
  base: Pick<GatewayApp, 'sessionId' | 'tokenId' | 'tokenLabel' | 'via' | 'connectedAt'>,
  server: Pick<Server, 'getClientVersion' | 'getClientCapabilities'>,
): GatewayApp {
  const info = server.getClientVersion();
  return {
    ...base,
    clientInfo: {
      name: clip(info?.name, 200) || 'unknown app',
      version: clip(info?.version, 100),
      ...(info?.title ? { title: clip(info.title, 200) } : {}),
    },
    capabilities: server.getClientCapabilities() ?? {},
  };
}

export function createAppServer(deps: AppServerDeps, appOf: (server: Server) => GatewayApp): Server {
  const server = new Server(
    { name: 'Sluice', version: CLIENT_INFO.version },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: { listChanged: true },
        completions: {},
        // Server logs reach an app during its own requests (InFlightRequests); the SDK keeps its level.
        logging: {},
      },
      instructions: INSTRUCTIONS,
    },
  );
  const app = () => appOf(server);

  server.setRequestHandler('tools/list', async () => ({ tools: await deps.catalog.tools(app()) }));
  server.setRequestHandler('tools/call', (request, ctx) => callTool(deps, app(), request.params, appCallOf(ctx), server));

  server.setRequestHandler('prompts/list', async () => ({ prompts: await deps.catalog.prompts(app()) }));
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const routed = await deps.catalog.resolvePrompt(app(), request.params.name);
    if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    return forwarded(deps, logsOf(ctx), routed.connection.name, () =>
      routed.connection
        .clientForGateway()
        .getPrompt({ name: routed.prompt.name, arguments: request.params.arguments }, { signal: ctx.mcpReq.signal }),
    );
  });

  server.setRequestHandler('resources/list', async () => ({
    resources: (await deps.catalog.resources(app())).map((entry) => entry.resource),
  }));
  server.setRequestHandler('resources/templates/list', async () => ({
    resourceTemplates: (await deps.catalog.templates(app())).map((entry) => entry.template),
  }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const routed = await deps.catalog.resolveUri(app(), request.params.uri);
    if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
    return forwarded(deps, logsOf(ctx), routed.connection.name, () =>
      routed.connection.clientForGateway().readResource({ uri: routed.uri }, { signal: ctx.mcpReq.signal }),
    );
  });

  server.setRequestHandler('completion/complete', async (request, ctx) => {
    const { ref } = request.params;
    if (ref.type === 'ref/prompt') {
      const routed = await deps.catalog.resolvePrompt(app(), ref.name);
      if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      return forwarded(deps, logsOf(ctx), routed.connection.name, () =>
        routed.connection
          .clientForGateway()
          .complete({ ...request.params, ref: { ...ref, name: routed.prompt.name } }, { signal: ctx.mcpReq.signal }),
      );
    }
    const connection = await deps.catalog.resolveTemplate(app(), ref.uri);
    if (!connection) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
    return forwarded(deps, logsOf(ctx), connection.name, () =>
      connection.clientForGateway().complete(request.params, { signal: ctx.mcpReq.signal }),
    );
  });

  return server;
}

export async function callTool(
  deps: AppServerDeps,
  app: GatewayApp,
  params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
  call: AppCall,
  server: Server,
): Promise<CallToolResult> {
  const startedAt = Date.now();
  const callId = randomUUID();
  const { signal, progressToken } = call;
  const appArguments = params.arguments ?? {};
  const routed = await deps.catalog.resolveTool(app, params.name);
  if (!routed) {
    const unavailable = deps.catalog.unavailableServer(app, params.name);
    if (unavailable) throw new ProtocolError(ProtocolErrorCode.InternalError, notConnectedMessage(unavailable));
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
  }
  const serverName = routed.connection.name;
  let sentArguments = appArguments;
  const answeredByApp: AppAnsweredRequest[] = [];
  const finish = (outcome: GatewayCallRecord['outcome'], result?: CallToolResult, error?: string) => {
    const durationMs = Date.now() - startedAt;
    const sent = sentArguments;
    // The record (sizing the result, the history write) waits until the answer is on its way to the app.
    setImmediate(() => {
      try {
        deps.onCallCompleted({
          callId,
          app,
          serverName,
          tool: routed.tool.name,
          arguments: sent,
          outcome,
          error,
          startedAt,
          durationMs,
          resultBytes: result ? Buffer.byteLength(JSON.stringify(result)) : 0,
          ...(answeredByApp.length ? { answeredByApp } : {}),
        });
      } catch (listenerError) {
        console.error('sluice gateway: a call listener failed', listenerError);
      }
    });
  };
  deps.onCallCounted?.(app);
  const decision = await deps.gate().decide({ callId, app, serverName, tool: routed.tool, arguments: appArguments, signal });
  if (decision.action === 'refuse') {
    finish('refused', decision.result, textOf(decision.result));
    return decision.result;
  }
  sentArguments = decision.arguments;
  try {
    const result = await forwarded(deps, call.log, serverName, () =>
      routed.connection.callToolForApp(routed.tool.name, sentArguments, {
        app: { name: app.clientInfo.name, version: app.clientInfo.version },
        signal,
        onprogress:
          progressToken === undefined
            ? undefined
            : (progress) => {
                void call.notify({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined);
              },
        askApp: call.send ? askTheApp(app, call.send, server, answeredByApp) : undefined,
      }),
    );
    finish(result.isError ? 'tool-error' : 'result', result);
    return result;
  } catch (error) {
    finish(signal.aborted ? 'cancelled' : 'error', undefined, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** How long a request passed to the app may wait for its answer (as long as a tool call may take). */
const APP_ANSWER_TIMEOUT_MS = 30 * 60_000;

/**
 * Pass-through: the server's sampling, elicitation and roots requests, sent to the app on its own
 * call's stream, for what the app declared (elicitation: only the modes it declared). The SDK
 * checks the app's answer against the spec's result schema before it goes on to the server (an
 * invalid answer reaches the server as an error); cancelling `signal` (the app cancelled its call)
 * cancels the request at the app. Each answer, or failure, is noted in `noted` for the history.
 */
function askTheApp(
  app: GatewayApp,
  send: NonNullable<AppCall['send']>,
  server: Server,
  noted: AppAnsweredRequest[],
): AppAnswerer | undefined {
  const note = (entry: AppAnsweredRequest) => {
    if (noted.length < MAX_APP_ANSWERS_RECORDED) noted.push({ ...entry, outcome: entry.outcome.slice(0, 300) });
  };
  async function ask<T>(
    request: { method: AppAnsweredRequest['method']; params?: unknown },
    signal: AbortSignal,
    outcomeOf: (result: T) => string,
  ): Promise<T> {
    const mode = request.method === 'elicitation/create' ? ((request.params as { mode?: 'form' | 'url' }).mode ?? 'form') : undefined;
    const entry = { method: request.method, ...(mode ? { mode } : {}) };
    try {
      const result = (await send(
        { method: request.method, params: request.params as Record<string, unknown> | undefined },
        // A person may be answering at the app (a form, a sign-in page): no 60 s default. The server's
        // own timeout, the app's cancellation or its going away end the wait.
        { signal, timeout: APP_ANSWER_TIMEOUT_MS },
      )) as T;
      note({ ...entry, outcome: outcomeOf(result) });
      return result;
    } catch (error) {
      if (signal.aborted) {
        note({ ...entry, outcome: 'cancelled' });
        throw error;
      }
      const message = (error instanceof Error ? error.message : String(error)).replace(/^MCP error -?\d+: /, '').slice(0, 1000);
      const code = (error as { code?: unknown }).code;
      note({ ...entry, outcome: `failed: ${message}` });
      // The app's own JSON-RPC error reaches the server as it came; anything else (its answer broke
      // the spec's schema, its session went away) is said in a sentence that names the app.
      if (typeof code === 'number' && Number.isInteger(code)) throw new ProtocolError(code, message, (error as { data?: unknown }).data);
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `The calling app (${app.clientInfo.name}), which Sluice passed this ${request.method} request to, did not answer it properly: ${message}`,
      );
    }
  }
  const modes = declaredElicitationModes(app.capabilities);
  const answerer: AppAnswerer = {
    ...(app.capabilities.sampling
      ? {
          sampling: (params: unknown, signal: AbortSignal) =>
            ask<CreateMessageResult>({ method: 'sampling/createMessage', params }, signal, (result) => `answered (${result.model})`),
        }
      : {}),
    ...(modes.size > 0
      ? {
          elicitation: {
            modes,
            ask: (params: unknown, signal: AbortSignal) =>
              ask<ElicitResult>({ method: 'elicitation/create', params: legacyElicitation(params) }, signal, (result) => result.action),
            // On the session, not the call's stream: the notice may come after the call has ended.
            completed: (elicitationId: string) =>
              void server.notification({ method: 'notifications/elicitation/complete', params: { elicitationId } }).catch(() => undefined),
          },
        }
      : {}),
    ...(app.capabilities.roots
      ? {
          roots: (signal: AbortSignal) =>
            ask<ListRootsResult>({ method: 'roots/list' }, signal, (result) =>
              result.roots.length === 1 ? '1 root' : `${result.roots.length} roots`,
            ),
        }
      : {}),
  };
  return Object.keys(answerer).length > 0 ? answerer : undefined;
}

/**
 * The app speaks 2025 (pass-through needs its session): a 2026-07-28 server's URL-mode request has
 * no `elicitationId`, which the 2025 schema requires, so it gets one. (Such a server never sends
 * `notifications/elicitation/complete`; the notice is optional, and the app's answer is what counts.)
 */
function legacyElicitation(params: unknown): unknown {
  const request = params as { mode?: string; elicitationId?: unknown };
  return request.mode === 'url' && request.elicitationId === undefined ? { ...request, elicitationId: randomUUID() } : params;
}

/** What an app is told when it calls a tool of a server that is switched on but not connected now. */
function notConnectedMessage(server: UnavailableServer): string {
  const why = server.error ? ` (${server.error.slice(0, 300)})` : '';
  if (server.state === 'connecting') return `Server "${server.name}" is starting in Sluice; try the call again in a moment.`;
  if (server.reconnectAt !== undefined) {
    const seconds = Math.max(1, Math.ceil((server.reconnectAt - Date.now()) / 1000));
    return `Server "${server.name}" is restarting in Sluice${why}; Sluice tries again in ${seconds} s: try the call again after that.`;
  }
  return `Server "${server.name}" is not connected in Sluice${why}; restart it in Sluice and try again.`;
}

function textOf(result: CallToolResult): string {
  return result.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join(' ')
    .slice(0, 500);
}

/**
 * Runs a downstream request. Its JSON-RPC error reaches the app with the same code and message;
 * a server that is not connected, or any other failure, becomes an internal error that names the
 * server and says what happened.
 */
async function forwarded<T>(deps: AppServerDeps, logs: LogSink, serverName: string, run: () => Promise<T>): Promise<T> {
  const done = deps.inFlight.add(serverName, logs);
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === SdkErrorCode.ConnectionClosed) {
      // The server went away mid-call (crashed, stopped, restarted): say so rather than "Connection closed".
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `Server "${serverName}" closed its connection during the request (it stopped or crashed; Sluice restarts it): try again in a moment.`,
      );
    }
    if (error instanceof Error && typeof code === 'number' && Number.isInteger(code) && code < 0) {
      throw new ProtocolError(code, message.replace(/^MCP error -?\d+: /, ''), (error as { data?: unknown }).data);
    }
    throw new ProtocolError(ProtocolErrorCode.InternalError, message.includes(serverName) ? message : `Server "${serverName}": ${message}`);
  } finally {
    done();
  }
}
