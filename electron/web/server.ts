/**
 * Web mode: the built renderer and the IPC contract over a WebSocket, on loopback, behind a
 * random token. The page gets the token from the URL once and keeps it in an HttpOnly cookie for
 * its assets; the WebSocket must present the token and come from the page's own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BRIDGE_PATH, ClientFrameSchema, type HostFrame } from '../../shared/bridge-protocol.js';
import { EVENT_CHANNEL_NAMES, isInvokeChannel } from '../../shared/contract.js';
import { HISTORY_EXPORT_PATH, HistoryExportFormatSchema, HistoryFilterSchema } from '../../shared/history.js';
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
  /** Interface to bind; loopback unless the user asks otherwise. */
  hostname?: string;
  token?: string;
}

export interface WebBridge {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'sluice_token';
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function sameToken(expected: string, candidate: string | null | undefined): boolean {
  if (!candidate) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const hostname = options.hostname ?? '127.0.0.1';
  const staticDir = path.resolve(options.staticDir);
  const { host } = options;

  const server = createServer((request, response) => {
    void serveHttp(request, response);
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fromQuery = url.searchParams.get('token');
    const authorised = sameToken(token, fromQuery) || sameToken(token, cookieToken(request));
    const headers: Record<string, string> = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!authorised) {
      response.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Sluice: open the URL with the token that `npm run web` printed.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    if (sameToken(token, fromQuery)) {
      headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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

  /** Web mode's history export: a download streamed from the database (the desktop app uses a save dialog). */
  async function serveHistoryExport(url: URL, response: ServerResponse, headers: Record<string, string>): Promise<void> {
    const format = HistoryExportFormatSchema.safeParse(url.searchParams.get('format'));
    let filter: ReturnType<typeof HistoryFilterSchema.safeParse> | undefined;
    try {
      filter = HistoryFilterSchema.safeParse(JSON.parse(url.searchParams.get('filter') ?? '{}'));
    } catch {
      filter = undefined;
    }
    if (!format.success || !filter?.success) {
      response.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad export request\n');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': format.data === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(format.data)}"`,
    });
    try {
      await writeHistory(host.history.store, filter.data, format.data, response);
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
    const expectedOrigin = `http://${request.headers.host ?? ''}`;
    const originOk = origin === undefined || origin === expectedOrigin;
    if (url.pathname !== BRIDGE_PATH || !sameToken(token, url.searchParams.get('token')) || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

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
  const { port } = server.address() as AddressInfo;
  const shownHost = hostname.includes(':') ? `[${hostname}]` : hostname;

  return {
    token,
    port,
    url: `http://${shownHost}:${port}/?token=${token}`,
    async close() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
