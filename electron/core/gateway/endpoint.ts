/**
 * The gateway's HTTP endpoint: Streamable HTTP on loopback, at `/mcp`, both protocol eras.
 *
 * Before anything MCP happens, every request must name our loopback Host and port (DNS
 * rebinding), carry no browser `Origin` (no web page may drive the user's servers), and present a
 * valid bearer token: otherwise 403 or 401 with one sentence. Then the SDK's own classification
 * (`isLegacyRequest`) routes it:
 *  - 2025-era traffic gets a session (`WebStandardStreamableHTTPServerTransport`): a server that
 *    lives as long as the app's session, so list_changed and pass-through requests can be pushed.
 *    A session belongs to the token that opened it; another token cannot use it.
 *  - 2026-07-28 traffic goes to `createMcpHandler` (per-request servers; list changes reach
 *    `subscriptions/listen` streams through its notifier).
 *
 * The stdio relay does not use HTTP: it reaches a RelayListener on another loopback port, and
 * each relay connection is a session like a 2025-era one, its transport the SDK's stdio framing
 * over the socket.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  parseJSONRPCMessage,
  ReadBuffer,
  WebStandardStreamableHTTPServerTransport,
  type ClientCapabilities,
  type Implementation,
  type JSONRPCMessage,
  type McpHttpHandler,
  type Server,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createAppServer, describeApp, type AppServerDeps } from './app-server.js';
import { BodyTooLargeError, readBody, sendText, sendWebResponse, toWebRequest } from './http-bridge.js';
import type { AppView } from './catalog.js';
import type { GatewayApp } from './seams.js';
import { RelayCalls } from './relay-calls.js';
import { attachLane, installLaneReader } from '../servers/lane-read-buffer.js';
import { RelayListener } from './relay-listener.js';
import type { GatewayTokens, TokenIdentity } from './tokens.js';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Sessions kept at once; past this the least recently used one is closed (apps that vanished without DELETE). */
const MAX_SESSIONS = 200;
/** How long a 2026-era app (no session) stays listed as connected after its last request. */
const MODERN_APP_TTL_MS = 10 * 60_000;

interface Session {
  transport: Transport;
  /** Set for an HTTP session: the transport its requests are handed to (a relay session has none). */
  http?: WebStandardStreamableHTTPServerTransport;
  server: Server;
  identity: TokenIdentity;
  app: GatewayApp;
  lastSeen: number;
  calls: number;
  /** What the app saw when it was last told (or when it connected): list_changed only when this changes. */
  view?: AppView;
}

export interface ConnectedApp extends GatewayApp {
  calls: number;
}

export interface EndpointEvents {
  /** An app connected or disconnected. */
  onAppsChanged(): void;
  /** An app made a call (its count changed): frequent, so the listener may batch them. */
  onCallCounted?(): void;
}

export class GatewayEndpoint {
  private http: HttpServer | undefined;
  private port = 0;
  private relayPort_ = 0;
  private readonly relay: RelayListener;
  private readonly sessions = new Map<string, Session>();
  /** 2026-07-28 apps have no session: remembered by token and client name for the apps list. */
  private readonly modernApps = new Map<string, ConnectedApp & { lastSeen: number }>();
  private readonly modern: McpHttpHandler;
  /** Per-app list checks run one after another, so two changes close together cannot interleave. */
  private viewCheck: Promise<void> = Promise.resolve();

  constructor(
    private readonly tokens: GatewayTokens,
    private readonly deps: AppServerDeps,
    private readonly events: EndpointEvents,
  ) {
    const countCall = (app: GatewayApp) => {
      const session = this.sessions.get(app.sessionId);
      if (session) session.calls++;
      const modern = this.modernApps.get(app.sessionId);
      if (modern) modern.calls++;
      if (this.events.onCallCounted) this.events.onCallCounted();
      else this.events.onAppsChanged();
    };
    this.deps = { ...deps, onCallCounted: countCall };
    this.relay = new RelayListener(
      (token) => {
        const identity = this.tokens.verify(token);
        return identity?.via === 'relay' ? identity : undefined;
      },
      (identity, socket) => this.openRelaySession(identity, socket),
    );
    this.modern = createMcpHandler(
      (ctx) => {
        const identity = ctx.authInfo?.extra?.identity as TokenIdentity;
        return createAppServer(this.deps, (server) => this.modernApp(identity, server));
      },
      { legacy: 'reject', maxRequestBodySize: MAX_BODY_BYTES },
    );
  }

  /** Listens on 127.0.0.1:`port` (0 = any free port); answers the port. */
  async start(port: number): Promise<number> {
    const http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('sluice gateway: request failed', error);
        if (!res.headersSent) sendText(res, 500, 'Sluice: internal error');
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    this.port = (http.address() as AddressInfo).port;
    try {
      this.relayPort_ = await this.relay.start();
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this.port;
  }

  /** Where the stdio relay connects (for the discovery file). */
  get relayPort(): number {
    return this.relayPort_;
  }

  async stop(): Promise<void> {
    const http = this.http;
    this.http = undefined;
    await Promise.all([...this.sessions.values()].map((session) => session.transport.close().catch(() => undefined)));
    this.sessions.clear();
    this.modernApps.clear();
    await this.relay.stop();
    await this.modern.close().catch(() => undefined);
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    this.events.onAppsChanged();
  }

  get listening(): boolean {
    return this.http !== undefined;
  }

  apps(): ConnectedApp[] {
    const now = Date.now();
    for (const [key, app] of this.modernApps) if (now - app.lastSeen > MODERN_APP_TTL_MS) this.modernApps.delete(key);
    const legacy = [...this.sessions.values()]
      .filter((session) => session.app.clientInfo.name !== '')
      .map((session) => ({ ...session.app, calls: session.calls }));
    return [...legacy, ...[...this.modernApps.values()].map(({ lastSeen: _seen, ...app }) => app)];
  }

  /**
   * With a session: sends it tools/resources/prompts list_changed. Without: something may have
   * changed what apps see (a server came or went, an app's exposure changed, a server's own list
   * changed); each 2025-era app is told about exactly the lists that changed for IT, so hiding a
   * server from one app's token leaves the other apps undisturbed. 2026-07-28 apps listen without
   * a session (`subscriptions/listen`), so they all hear every change and re-list.
   */
  notifyListChanged(sessionId?: string): void {
    if (sessionId !== undefined) {
      const session = this.sessions.get(sessionId);
      if (session)
        void Promise.all([
          session.server.sendToolListChanged(),
          session.server.sendResourceListChanged(),
          session.server.sendPromptListChanged(),
        ]).catch(() => undefined);
      return;
    }
    this.viewCheck = this.viewCheck
      .then(() => this.notifyChangedViews())
      .catch((error: unknown) => console.error('sluice gateway: list_changed failed', error));
    this.modern.notify.toolsChanged();
    this.modern.notify.resourcesChanged();
    this.modern.notify.promptsChanged();
  }

  /** Resolves once the pending per-app list checks are done (tests, shutdown). */
  listChecksDone(): Promise<void> {
    return this.viewCheck;
  }

  private async notifyChangedViews(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map(async (session) => {
        if (session.app.clientInfo.name === '') return; // not initialized yet: it will list anyway
        const next = await this.deps.catalog.view(session.app);
        const last = session.view;
        session.view = next;
        const sends: Array<Promise<void>> = [];
        if (last?.tools !== next.tools) sends.push(session.server.sendToolListChanged());
        if (last?.prompts !== next.prompts) sends.push(session.server.sendPromptListChanged());
        if (last?.resources !== next.resources) sends.push(session.server.sendResourceListChanged());
        await Promise.all(sends).catch(() => undefined);
      }),
    );
  }

  /**
   * One token's view changed: its 2025-era sessions hear list_changed, the other apps' do not.
   * The 2026-07-28 era has no per-session push, so its subscribers all hear it (they re-list).
   */
  notifyTokenListChanged(tokenId: string): void {
    for (const [id, session] of this.sessions) if (session.identity.id === tokenId) this.notifyListChanged(id);
    this.modern.notify.toolsChanged();
    this.modern.notify.resourcesChanged();
    this.modern.notify.promptsChanged();
  }

  /** Ends the sessions opened with a token (it was revoked). */
  async endSessionsOf(tokenId: string): Promise<void> {
    for (const [id, session] of this.sessions) {
      if (session.identity.id !== tokenId) continue;
      this.sessions.delete(id);
      await session.transport.close().catch(() => undefined);
    }
    for (const [key, app] of this.modernApps) if (app.tokenId === tokenId) this.modernApps.delete(key);
    this.events.onAppsChanged();
  }

  /** The one-sentence refusal for a request that must not reach MCP, or its identity. */
  private admit(req: IncomingMessage): { status: number; message: string; headers?: Record<string, string> } | TokenIdentity {
    const allowedHosts = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    if (!allowedHosts.includes((req.headers.host ?? '').toLowerCase())) {
      return { status: 403, message: `Sluice: refused, the Host header must be 127.0.0.1:${this.port} or localhost:${this.port}.` };
    }
    if (req.headers.origin !== undefined) {
      return { status: 403, message: 'Sluice: refused, requests from web pages (with an Origin header) may not use the gateway.' };
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const identity = this.tokens.verify(match?.[1]);
    if (!identity) {
      return {
        status: 401,
        message: match
          ? 'Sluice: refused, this token is not valid (revoked or mistyped); create one in Connect apps.'
          : 'Sluice: refused, a bearer token is required (Authorization: Bearer <token> from Connect apps).',
        headers: { 'WWW-Authenticate': 'Bearer realm="Sluice"' },
      };
    }
    return identity;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = this.admit(req);
    if (!('id' in verdict)) {
      sendText(res, verdict.status, verdict.message, verdict.headers);
      req.resume();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== MCP_PATH) {
      sendText(res, 404, `Sluice: the MCP endpoint is ${MCP_PATH}.`);
      req.resume();
      return;
    }
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      try {
        body = await readBody(req, MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendText(res, 413, `Sluice: request body over ${MAX_BODY_BYTES} bytes.`);
        throw error;
      }
    }
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    let parsedBody: unknown;
    try {
      parsedBody = body && body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      parsedBody = undefined;
    }
    // The SDK reads `parsedBody` when it is given: the web Request needs the raw body only when it is not JSON (for its error).
    const request = toWebRequest(req, parsedBody === undefined ? body : undefined, gone.signal);
    const response = (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: MAX_BODY_BYTES }))
      ? await this.legacy(request, parsedBody, verdict)
      : await this.modern.fetch(request, {
          parsedBody,
          authInfo: { token: '', clientId: verdict.id, scopes: [], extra: { identity: verdict } },
        });
    await sendWebResponse(res, response, gone.signal, { jsonAnswer: req.method === 'POST' });
  }

  private async legacy(request: Request, parsedBody: unknown, identity: TokenIdentity): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      // A session is only usable with the token that opened it (and while that token exists).
      if (!session?.http || session.identity.id !== identity.id) return jsonRpcError(404, -32001, 'Session not found');
      session.lastSeen = Date.now();
      return session.http.handleRequest(request, { parsedBody });
    }
    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, 'Bad Request: no valid session ID (send initialize first)');
    }
    this.evictIfFull();
    const holder: { session?: Session } = {};
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        if (!holder.session) return;
        holder.session.app.sessionId = id;
        this.sessions.set(id, holder.session);
      },
      onsessionclosed: (id) => this.dropSession(id),
    });
    const session = this.newSession(identity, transport, transport);
    holder.session = session;
    transport.onclose = () => this.dropSession(session.app.sessionId);
    void session.server.connect(transport).catch((error: unknown) => {
      console.error('sluice gateway: a session could not start', error);
      void transport.close().catch(() => undefined);
    });
    return transport.handleRequest(request, { parsedBody });
  }

  /**
   * A relay connection passed its handshake: it is a session until either side closes the socket.
   * The SDK's `serveStdio` decides its era from the app's first message (as a stdio server would:
   * `initialize` for 2025, `server/discover` or an enveloped request for 2026-07-28) and pins one
   * app server to it.
   */
  private openRelaySession(identity: TokenIdentity, socket: Socket): void {
    this.evictIfFull();
    const transport = new StdioServerTransport(socket, socket, { maxBufferSize: MAX_BODY_BYTES });
    installLaneReader(transport, ReadBuffer, parseJSONRPCMessage, MAX_BODY_BYTES);
    const session = this.newSession(identity, transport);
    session.app.sessionId = randomUUID();
    this.sessions.set(session.app.sessionId, session);
    let first = true;
    // Called once per era decision; a 2026-07-28 probe that falls back to 2025 gets a fresh server.
    const factory = () => {
      if (!first) session.server = this.sessionServer(session);
      first = false;
      return session.server;
    };
    const served = serveStdio(factory, { transport });
    // A 2026-07-28 app sends no initialize: it names itself in each request's envelope (the SDK
    // reads that only on its HTTP entry), so the first request that does names the session's app.
    const deliver = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage) => {
      if (session.app.clientInfo.name === '') this.describeFromEnvelope(session, message);
      deliver?.(message);
    };
    // Tool calls are answered without the SDK server's request machinery (relay-calls.ts says why),
    // read before the SDK validates anything (lane-read-buffer.ts). RelayCalls takes a call only
    // once the app is described, so it never needs the envelope read above.
    const calls = new RelayCalls(this.deps, () => (session.app.clientInfo.name === '' ? undefined : session), transport);
    attachLane(transport, (message) => calls.take(message));
    const closed = transport.onclose; // serveStdio's own
    transport.onclose = () => {
      calls.closeAll();
      closed?.();
      this.dropSession(session.app.sessionId);
      socket.destroy();
    };
    socket.once('close', () => void served.close().catch(() => undefined));
    // The handshake left the socket paused; serveStdio has started reading it.
    socket.resume();
  }

  /** A session's record and its first app server (not connected yet). */
  private newSession(identity: TokenIdentity, transport: Transport, http?: WebStandardStreamableHTTPServerTransport): Session {
    const connectedAt = Date.now();
    const session: Session = {
      transport,
      http,
      server: this.sessionServer(() => session),
      identity,
      app: {
        sessionId: '',
        tokenId: identity.id,
        tokenLabel: identity.label,
        via: identity.via,
        connectedAt,
        clientInfo: { name: '', version: '' },
        capabilities: {},
      },
      lastSeen: connectedAt,
      calls: 0,
    };
    return session;
  }

  /** An app server answering for `session` (passed lazily: the record may still be under construction). */
  private sessionServer(of: Session | (() => Session)): Server {
    const session = () => (typeof of === 'function' ? of() : of);
    const server = createAppServer(this.deps, () => session().app);
    server.oninitialized = () => {
      this.describe(session(), server);
      // An app Sluice may pass a server's request to gets a ping first, so that no such request
      // carries id 0: apps on the v1 TypeScript SDK drop a cancellation of request 0 (their check
      // is `if (!requestId)`), and the request would stay open at the app after its call ended.
      const { sampling, elicitation, roots } = session().app.capabilities;
      if (sampling || elicitation || roots) void server.ping().catch(() => undefined);
      // What it sees now: the baseline its later list_changed are measured against.
      void this.deps.catalog.view(session().app).then(
        (view) => (session().view ??= view),
        () => undefined,
      );
    };
    return server;
  }

  private describe(session: Session, server: Pick<Server, 'getClientVersion' | 'getClientCapabilities'>): void {
    const { sessionId, tokenId, tokenLabel, via, connectedAt } = session.app;
    session.app = describeApp({ sessionId, tokenId, tokenLabel, via, connectedAt }, server);
    this.events.onAppsChanged();
  }

  private describeFromEnvelope(session: Session, message: JSONRPCMessage): void {
    const meta = 'method' in message && 'id' in message ? message.params?._meta : undefined;
    const clientInfo = meta?.[CLIENT_INFO_META_KEY] as Implementation | undefined;
    if (typeof clientInfo?.name !== 'string') return;
    const capabilities = meta?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
    this.describe(session, { getClientVersion: () => clientInfo, getClientCapabilities: () => capabilities });
  }

  private dropSession(id: string): void {
    if (this.sessions.delete(id)) this.events.onAppsChanged();
  }

  private evictIfFull(): void {
    if (this.sessions.size < MAX_SESSIONS) return;
    const oldest = [...this.sessions.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
    if (!oldest) return;
    this.sessions.delete(oldest[0]);
    void oldest[1].transport.close().catch(() => undefined);
  }

  private modernApp(identity: TokenIdentity, server: Server): GatewayApp {
    const info = server.getClientVersion();
    const key = `${identity.id}|${info?.name ?? ''}|${info?.version ?? ''}`;
    const known = this.modernApps.get(key);
    const app = describeApp(
      {
        sessionId: key,
        tokenId: identity.id,
        tokenLabel: identity.label,
        via: identity.via,
        connectedAt: known?.connectedAt ?? Date.now(),
      },
      server,
    );
    if (!known) {
      this.modernApps.set(key, { ...app, calls: 0, lastSeen: Date.now() });
      this.events.onAppsChanged();
    } else known.lastSeen = Date.now();
    return app;
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
