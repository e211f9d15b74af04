/**
 * `tools/call` on a relay connection, taken off the transport before the SDK's server sees it.
 *
 * Why: the relay is what stdio-only apps (Claude Desktop) use, and a tool call is nearly all they
 * send. Through the SDK server each one is validated against the era's request schema, given a
 * context, and answered through the result encoder; with the client side's same work (see
 * transport-calls.ts) that was a large share of what the gateway added to a call (bench/RESULTS.md
 * §4). The call itself is the same callTool() the SDK handler runs (catalog, the user's rules and
 * approval, pass-through, history): only how the request is read and the answer written differ.
 *
 * Taken only when that is all it takes: a 2025-era session whose app has been described (its
 * `initialized` handled), a well-formed request. Anything else (a 2026-07-28 app, malformed
 * params, every other method) goes to the SDK server as before, which answers it or says what is
 * wrong. The app's `notifications/cancelled` for a call taken here aborts that call, and its
 * answer is then not sent (as the SDK does).
 */
import type { JSONRPCMessage, Server, Transport } from '@modelcontextprotocol/server';
import { ProtocolErrorCode, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { callTool, type AppCall, type AppServerDeps } from './app-server.js';
import type { GatewayApp } from './seams.js';
import { isPlainObject } from '../../../shared/json-value.js';

type RequestId = string | number;

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** The params of a well-formed `tools/call`, or undefined (the SDK server then answers it). */
function toolCallParams(
  params: unknown,
): { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> } | undefined {
  if (!isPlainObject(params) || typeof params.name !== 'string') return undefined;
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
  if (params._meta !== undefined && !isPlainObject(params._meta)) return undefined;
  const token = params._meta?.progressToken;
  if (token !== undefined && !isRequestId(token)) return undefined;
  return params as { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
}

export class RelayCalls {
  /** The calls taken here and not yet answered, by the app's request id. */
  private readonly inFlight = new Map<RequestId, AbortController>();

  constructor(
    private readonly deps: AppServerDeps,
    /**
     * The session's current app server and app (the server changes if a 2026 probe falls back), or
     * undefined until the app is described: the SDK handles `notifications/initialized` a tick after
     * it arrives, and a call read in the same chunk must not overtake it (it would find the app's
     * capabilities, hence pass-through, not known yet).
     */
    private readonly session: () => { server: Server; app: GatewayApp } | undefined,
    private readonly transport: Transport,
  ) {}

  /**
   * Takes `message` if it is a call this lane answers, or the cancellation of one; answers whether
   * it did. The message may not have been validated (the lane reader): every field used is checked here.
   */
  take(message: JSONRPCMessage | Record<string, unknown>): boolean {
    const { id, method, params } = message as { id?: unknown; method?: unknown; params?: unknown };
    if (method === 'notifications/cancelled') {
      const cancelled = isPlainObject(params) ? params.requestId : undefined;
      const call = isRequestId(cancelled) ? this.inFlight.get(cancelled) : undefined;
      if (!call) return false;
      call.abort(isPlainObject(params) && typeof params.reason === 'string' ? params.reason.slice(0, 300) : 'Cancelled by the app');
      return true;
    }
    if (method !== 'tools/call' || !isRequestId(id) || this.inFlight.has(id)) return false;
    const session = this.session();
    if (!session) return false;
    const { server, app } = session;
    // Past initialize, in the 2025 era (the SDK's list of that era's revisions; a 2026-07-28 session has none of them).
    const version = server.getNegotiatedProtocolVersion();
    if (version === undefined || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return false;
    const call = toolCallParams(params);
    if (!call) return false;
    this.answer(id, call, server, app);
    return true;
  }

  /** The app went away: its calls are cancelled downstream. */
  closeAll(): void {
    for (const call of this.inFlight.values()) call.abort('The app closed its connection');
  }

  private answer(id: RequestId, params: NonNullable<ReturnType<typeof toolCallParams>>, server: Server, app: GatewayApp): void {
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    const call: AppCall = {
      signal: controller.signal,
      progressToken: params._meta?.progressToken as RequestId | undefined,
      notify: (notification) => server.notification(notification),
      send: (request, options) => server.request(request, options),
      // At the level the app set with logging/setLevel, as the SDK's ctx.mcpReq.log does on stdio.
      log: { log: (level, data, logger) => server.sendLoggingMessage({ level, data, ...(logger ? { logger } : {}) }) },
    };
    const reply = (message: JSONRPCMessage) => {
      this.inFlight.delete(id);
      if (controller.signal.aborted) return;
      this.transport.send(message).catch(() => undefined);
    };
    callTool(this.deps, app, params, call, server).then(
      (result) => reply({ jsonrpc: '2.0', id, result }),
      (error: unknown) => {
        const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
        reply({
          jsonrpc: '2.0',
          id,
          error: {
            code: Number.isSafeInteger(code) ? (code as number) : ProtocolErrorCode.InternalError,
            message: typeof message === 'string' ? message : 'Internal error',
            ...(data !== undefined ? { data } : {}),
          },
        });
      },
    );
  }
}
