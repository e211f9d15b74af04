/**
 * Web mode: the built renderer and the IPC contract over a WebSocket, on loopback, behind a
 * random token.
 *
 * - The page's assets are not secret and are served without the token. The token is in the
 *   printed URL's fragment (never sent over HTTP); the page keeps it in memory and in
 *   sessionStorage (whose origin includes the port) and drops it from the address bar.
 * - Not a cookie: a cookie set for 127.0.0.1 is sent to every other service on 127.0.0.1
 *   whatever its port.
 * - The WebSocket is authenticated by its first frame (`hello` with the token, compared in
 *   constant time); nothing is read or sent before it. Its Origin must be the page's own.
 * - Every request's Host header must name loopback (or the bound address) with the bound port,
 *   so a DNS-rebinding page at evil.example cannot talk to us even by resolving to 127.0.0.1.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.js';
import { BRIDGE_PATH, BRIDGE_UNAUTHORISED, ClientFrameSchema, HelloFrameSchema, type HostFrame } from '../../shared/bridge-protocol.js';
import { EVENT_CHANNEL_NAMES, isInvokeChannel } from '../../shared/contract.js';
import { HISTORY_EXPORT_PATH } from '../../shared/history.js';
import { exportFileName, writeHistory } from '../core/history/history-export.js';
import type { SluiceHost } from '../core/host.js';
import { readStaticFile } from './static-files.js';

/** A bridge frame's text. `ws` hands a text frame over as a Buffer, typed as any of its RawData forms. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

export interface WebBridgeOptions {
  host: SluiceHost;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Interface to bind; loopback unless the user asks otherwise (the CLI requires --allow-remote). */
  hostname?: string;
  token?: string;
}

/** How long a new socket has to send its hello before it is closed. */
const HELLO_TIMEOUT_MS = 10_000;

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether `hostname` is a loopback address or name (what may be bound without --allow-remote). */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * The Host header values accepted: loopback names and the bound address, each with the bound
 * port. A wildcard bind (0.0.0.0, ::) reached under any name accepts any host: the token still
 * guards the socket.
 */
export function hostHeaderAllowed(header: string | undefined, bound: string, port: number): boolean {
  if (!header) return false;
  if (bound === '0.0.0.0' || bound === '::') return header.endsWith(`:${port}`);
  const names = new Set([...LOOPBACK_NAMES, bound.includes(':') ? `[${bound}]` : bound]);
  return [...names].some((name) => header.toLowerCase() === `${name.toLowerCase()}:${port}`);
}

export interface WebBridge {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function sameToken(expected: string, candidate: string | null | undefined): boolean {
  if (!candidate) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const hostname = options.hostname ?? '127.0.0.1';
  const staticDir = path.resolve(options.staticDir);
  const { host } = options;

  const server = createServer((request, response) => {
    void serveHttp(request, response);
  });

  /** Set once listening: the Host check needs the bound port. */
  let port = 0;

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers: Record<string, string> = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!hostHeaderAllowed(request.headers.host, hostname, port)) {
      response.writeHead(421, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`Sluice: this address is not served here (open http://127.0.0.1:${port}/).\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === HISTORY_EXPORT_PATH) {
      await serveHistoryExport(url, response, headers);
      return;
    }
    const file = await readStaticFile(staticDir, url.pathname);
    if (!file) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': file.type });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  /**
   * Web mode's history export: a download streamed from the database (the desktop app uses a save
   * dialog). The address is a one-time ticket the page got over its authenticated WebSocket.
   */
  async function serveHistoryExport(url: URL, response: ServerResponse, headers: Record<string, string>): Promise<void> {
    const link = host.history.exportLinks.take(url.searchParams.get('ticket'));
    if (!link) {
      response
        .writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
        .end('This export link is used or expired: export again from the History view.\n');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': link.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(link.format)}"`,
    });
    try {
      await writeHistory(host.history.store, link.filter, link.format, response);
    } catch (error) {
      console.error('sluice web: the history export failed', error);
    }
    response.end();
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const origin = request.headers.origin;
    const hostOk = hostHeaderAllowed(request.headers.host, hostname, port);
    // Browsers always send Origin on a WebSocket; it must be the page's own. (Non-browser
    // clients send none and still need the token.)
    const originOk = origin === undefined || origin === `http://${request.headers.host ?? ''}`;
    if (url.pathname !== BRIDGE_PATH || !hostOk || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => authenticate(ws));
  });

  /** The first frame must be the hello with the token; until then nothing is read or sent. */
  function authenticate(ws: WebSocket): void {
    const refuse = () => ws.close(BRIDGE_UNAUTHORISED, 'Sluice: wrong or missing token');
    const timer = setTimeout(refuse, HELLO_TIMEOUT_MS);
    ws.once('message', (data) => {
      clearTimeout(timer);
      let hello;
      try {
        hello = HelloFrameSchema.parse(JSON.parse(frameText(data)));
      } catch {
        refuse();
        return;
      }
      if (!sameToken(token, hello.token)) {
        refuse();
        return;
      }
      attach(ws);
    });
    ws.once('close', () => clearTimeout(timer));
  }

  function send(ws: WebSocket, frame: HostFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      let frame;
      try {
        frame = ClientFrameSchema.parse(JSON.parse(frameText(data)));
      } catch {
        console.error('sluice web: dropped a malformed bridge frame');
        return;
      }
      const { id, channel, request } = frame;
      if (!isInvokeChannel(channel)) {
        send(ws, { kind: 'result', id, ok: false, error: `Unknown channel ${channel}` });
        return;
      }
      host.invoke(channel, request).then(
        (response) => send(ws, { kind: 'result', id, ok: true, response }),
        (error: unknown) => send(ws, { kind: 'result', id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    });
  }

  const unsubscribers = EVENT_CHANNEL_NAMES.map((channel) =>
    host.events.on(channel, (payload) => {
      for (const ws of sockets) send(ws, { kind: 'event', channel, payload });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostname, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = hostname.includes(':') ? `[${hostname}]` : hostname;

  return {
    token,
    port,
    // In the fragment: the browser never sends it to the server, nor in a Referer.
    url: `http://${shownHost}:${port}/#token=${token}`,
    async close() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
