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
import type { CallToolResult, CreateMessageResult } from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode, Server, type ServerContext } from '@modelcontextprotocol/server';
import { CLIENT_INFO } from '../servers/connection.js';
import type { GatewayCatalog } from './catalog.js';
import type { GatewayApp, GatewayCallRecord, ToolCallGate } from './seams.js';

export interface AppServerDeps {
  catalog: GatewayCatalog;
  gate(): ToolCallGate;
  onCallCompleted(record: GatewayCallRecord): void;
  /** A call started or ended (the "Connect apps" view counts them). */
  onCallCounted?(app: GatewayApp): void;
}

const INSTRUCTIONS =
  'Sluice: the tools, resources and prompts of the MCP servers configured in Sluice, named <server>__<name>. ' +
  'When a server asks for a model completion or for input, the user answers in Sluice.';

/** Fields of an app's handshake we keep, bounded (the app controls them). */
function clip(text: string | undefined, max: number): string {
  return (text ?? '').slice(0, max);
}

export function describeApp(
  base: Pick<GatewayApp, 'sessionId' | 'tokenId' | 'tokenLabel' | 'via' | 'connectedAt'>,
  server: Server,
): GatewayApp {
  const info = server.getClientVersion();
  return {
    ...base,
    clientInfo: { name: clip(info?.name, 200) || 'unknown app', version: clip(info?.version, 100), ...(info?.title ? { title: clip(info.title, 200) } : {}) },
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
      },
      instructions: INSTRUCTIONS,
    },
  );
  const app = () => appOf(server);

  server.setRequestHandler('tools/list', async () => ({ tools: await deps.catalog.tools(app()) }));
  server.setRequestHandler('tools/call', (request, ctx) => callTool(deps, app(), request.params, ctx));

  server.setRequestHandler('prompts/list', async () => ({ prompts: await deps.catalog.prompts(app()) }));
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const routed = await deps.catalog.resolvePrompt(app(), request.params.name);
    if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    return forwarded(routed.connection.name, () =>
      routed.connection.clientForGateway().getPrompt({ name: routed.prompt.name, arguments: request.params.arguments }, { signal: ctx.mcpReq.signal }),
    );
  });

  server.setRequestHandler('resources/list', async () => ({ resources: (await deps.catalog.resources(app())).map((entry) => entry.resource) }));
  server.setRequestHandler('resources/templates/list', async () => ({
    resourceTemplates: (await deps.catalog.templates(app())).map((entry) => entry.template),
  }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const routed = await deps.catalog.resolveUri(app(), request.params.uri);
    if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
    return forwarded(routed.connection.name, () => routed.connection.clientForGateway().readResource({ uri: routed.uri }, { signal: ctx.mcpReq.signal }));
  });

  server.setRequestHandler('completion/complete', async (request, ctx) => {
    const { ref } = request.params;
    if (ref.type === 'ref/prompt') {
      const routed = await deps.catalog.resolvePrompt(app(), ref.name);
      if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      return forwarded(routed.connection.name, () =>
        routed.connection.clientForGateway().complete({ ...request.params, ref: { ...ref, name: routed.prompt.name } }, { signal: ctx.mcpReq.signal }),
      );
    }
    const connection = await deps.catalog.resolveTemplate(app(), ref.uri);
    if (!connection) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
    return forwarded(connection.name, () => connection.clientForGateway().complete(request.params, { signal: ctx.mcpReq.signal }));
  });

  return server;
}

async function callTool(
  deps: AppServerDeps,
  app: GatewayApp,
  params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
  ctx: ServerContext,
): Promise<CallToolResult> {
  const startedAt = Date.now();
  const callId = randomUUID();
  const signal = ctx.mcpReq.signal;
  const appArguments = params.arguments ?? {};
  const routed = await deps.catalog.resolveTool(app, params.name);
  if (!routed) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
  const serverName = routed.connection.name;
  let sentArguments = appArguments;
  const finish = (outcome: GatewayCallRecord['outcome'], result?: CallToolResult, error?: string) => {
    try {
      deps.onCallCompleted({
        callId,
        app,
        serverName,
        tool: routed.tool.name,
        arguments: sentArguments,
        outcome,
        error,
        startedAt,
        durationMs: Date.now() - startedAt,
        resultBytes: result ? Buffer.byteLength(JSON.stringify(result)) : 0,
      });
    } catch (listenerError) {
      console.error('sluice gateway: a call listener failed', listenerError);
    }
  };
  deps.onCallCounted?.(app);
  const decision = await deps.gate().decide({ callId, app, serverName, tool: routed.tool, arguments: appArguments, signal });
  if (decision.action === 'refuse') {
    finish('refused', decision.result, textOf(decision.result));
    return decision.result;
  }
  sentArguments = decision.arguments;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const legacySession = ctx.sessionId !== undefined;
  try {
    const result = await forwarded(serverName, () =>
      routed.connection.callToolForApp(routed.tool.name, sentArguments, {
        app: { name: app.clientInfo.name, version: app.clientInfo.version },
        signal,
        onprogress:
          progressToken === undefined
            ? undefined
            : (progress) => {
                void ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined);
              },
        // Pass-through needs a 2025 session to push the request on (the 2026 era has no server push).
        askApp:
          legacySession && app.capabilities.sampling
            ? {
                sampling: (samplingParams, samplingSignal) =>
                  ctx.mcpReq.send({ method: 'sampling/createMessage', params: samplingParams as Record<string, unknown> }, { signal: samplingSignal }) as Promise<CreateMessageResult>,
              }
            : undefined,
      }),
    );
    finish(result.isError ? 'tool-error' : 'result', result);
    return result;
  } catch (error) {
    finish(signal.aborted ? 'cancelled' : 'error', undefined, error instanceof Error ? error.message : String(error));
    throw error;
  }
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
async function forwarded<T>(serverName: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && typeof code === 'number' && Number.isInteger(code) && code < 0) {
      throw new ProtocolError(code, message.replace(/^MCP error -?\d+: /, ''), (error as { data?: unknown }).data);
    }
    throw new ProtocolError(ProtocolErrorCode.InternalError, message.includes(serverName) ? message : `Server "${serverName}": ${message}`);
  }
}

