/**
 * The loopback redirect listener of a native OAuth client (RFC 8252 §7.3): a one-shot HTTP server
 * on 127.0.0.1 that receives the authorization server's redirect at `/callback`.
 *
 * It accepts exactly one answer, and only one that carries the `state` generated for this attempt
 * (compared in constant time). Anything else — a forged or stale redirect — is refused with a page
 * saying so and ignored: nothing is exchanged, and the attempt keeps waiting for the real answer
 * (a local page must not be able to end the user's sign-in). The browser's
 * request is held open until the caller has exchanged the code, so the page the user sees tells
 * the truth about the outcome.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';
/** How long the browser's page waits for the token exchange before it is told to look at Sluice. */
const FINISH_WAIT_MS = 60_000;

export type CallbackFailure = 'denied' | 'missing-code' | 'timeout' | 'cancelled';

export class SignInCallbackError extends Error {
  constructor(
    readonly reason: CallbackFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SignInCallbackError';
  }
}

export interface AuthorizationResponse {
  code: string;
  /** RFC 9207 issuer identifier, when the authorization server sends one. */
  iss?: string;
  /** Answers the waiting browser page with the outcome of the token exchange. */
  finish(outcome: { ok: boolean; message: string }): void;
}

export interface LoopbackListener {
  readonly port: number;
  readonly redirectUrl: string;
  /** Settles once: the authorization response with the right state, or why there is none. */
  readonly response: Promise<AuthorizationResponse>;
  /** Stops listening; a pending `response` rejects with `cancelled`. */
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** The state this attempt put on the authorization URL. */
  expectedState: string;
  /** Shown on the pages the browser gets (escaped). */
  serverName: string;
  /** A fixed port (a static client's registered redirect), or 0 for any free one. */
  port: number;
  /** When `port` is taken: use any free port instead of failing (a dynamic registration can be redone). */
  fallbackToRandomPort?: boolean;
  timeoutMs: number;
}

export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle: { resolve(value: AuthorizationResponse): void; reject(error: Error): void } | undefined;
  const response = new Promise<AuthorizationResponse>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may only look at `response` later (after opening the browser): never an unhandled rejection.
  response.catch(() => undefined);
  const held = new Set<ServerResponse>();

  const fail = (error: SignInCallbackError) => {
    const current = settle;
    settle = undefined;
    current?.reject(error);
    void close();
  };

  const server = createServer((req, res) => handle(req, res));
  const port = await listen(server, options.port).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' && options.fallbackToRandomPort && options.port !== 0) return listen(server, 0);
    if (error.code === 'EADDRINUSE')
      throw new Error(
        `Port ${options.port} on 127.0.0.1 is in use, so Sluice cannot receive the sign-in redirect. Close what uses it, or configure another redirect port.`,
      );
    throw error;
  });
  const timer = setTimeout(
    () =>
      fail(new SignInCallbackError('timeout', 'Signing in took too long: nothing came back from the browser. Press Sign in to try again.')),
    options.timeoutMs,
  );

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH || !isLoopbackHostHeader(req.headers.host, port)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Not found');
      return;
    }
    if (!settle) {
      page(
        res,
        410,
        'This sign-in is over',
        'Sluice is no longer waiting for this sign-in. Go back to Sluice and press Sign in to start again.',
      );
      return;
    }
    const params = url.searchParams;
    const state = params.get('state');
    if (state === null || !sameString(state, options.expectedState)) {
      // Any page on this machine can reach this port: a forged or stale answer is refused, and the
      // sign-in the user started keeps waiting for the real one.
      page(
        res,
        400,
        'Sign-in refused',
        `This answer does not belong to the sign-in Sluice started for ${options.serverName} (the state does not match), so it was ignored and nothing was exchanged. If you are signing in, finish on the authorization page Sluice opened.`,
      );
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      // Only the standard error code is shown: the description is the authorization server's free text.
      const code = /^[\w.-]{1,64}$/.test(error) ? error : 'error';
      page(res, 400, 'Sign-in not completed', `The authorization server did not sign you in (${code}). Go back to Sluice to try again.`);
      fail(new SignInCallbackError('denied', `The authorization server did not sign you in (${code}).`));
      return;
    }
    const code = params.get('code');
    if (!code) {
      page(res, 400, 'Sign-in not completed', 'The answer carried no authorization code. Go back to Sluice to try again.');
      fail(new SignInCallbackError('missing-code', 'The authorization server answered without an authorization code.'));
      return;
    }
    clearTimeout(timer);
    held.add(res);
    const answered = setTimeout(
      () => finish({ ok: true, message: 'Sluice is finishing the sign-in; go back to Sluice to see the result.' }),
      FINISH_WAIT_MS,
    );
    const finish = (outcome: { ok: boolean; message: string }) => {
      clearTimeout(answered);
      if (!held.delete(res)) return;
      page(res, outcome.ok ? 200 : 400, outcome.ok ? 'Signed in' : 'Sign-in failed', outcome.message);
      void close();
    };
    const current = settle;
    settle = undefined;
    current.resolve({ code, iss: params.get('iss') ?? undefined, finish });
  }

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      const current = settle;
      settle = undefined;
      current?.reject(new SignInCallbackError('cancelled', 'The sign-in was cancelled.'));
      for (const res of held) page(res, 410, 'Sign-in cancelled', 'Sluice stopped waiting for this sign-in.');
      held.clear();
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closed;
  }

  return { port, redirectUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`, response, close };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Only the browser on this machine, addressing us by loopback name (no DNS-rebound host names). */
function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function page(res: ServerResponse, status: number, title: string, message: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Sluice</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d232b}h1{font-size:1.4rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
    // One page per sign-in: don't keep the browser's connection (and so the listener) alive.
    connection: 'close',
  });
  res.end(body);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
