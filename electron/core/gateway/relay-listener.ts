/**
 * The stdio relay's way into the host: a loopback TCP listener where each connection carries one
 * app's MCP session framed as on stdio (one JSON-RPC message per line), after a one-line token
 * handshake. The relay is then a byte pipe between the app's stdin/stdout and this socket.
 *
 * Why not the HTTP endpoint: over HTTP the relay had to parse every message, POST it and parse
 * the SSE or JSON answer back (two SDK transports and an HTTP client in the relay, an HTTP server
 * and its transport in the host), which cost more than the whole direct call (bench/RESULTS.md
 * §4). The rules are the HTTP endpoint's: 127.0.0.1 only, nothing is read as MCP before a valid
 * token (compared in constant time by GatewayTokens), and what the peer sends is bounded (the
 * handshake line, its time, and every later message). A browser cannot open a raw TCP socket, and
 * an HTTP request sent here is not a handshake: it is refused like any other.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TokenIdentity } from './tokens.js';

/** The handshake line's bound: a token is 43 characters, the rest is a few keys. */
export const RELAY_HANDSHAKE_MAX_BYTES = 4096;
/** How long a connection may take to say who it is. */
export const RELAY_HANDSHAKE_TIMEOUT_MS = 5_000;
/** Connections still in their handshake at once: more are closed at once (another program flooding the port). */
export const MAX_UNIDENTIFIED_CONNECTIONS = 32;

export interface RelayHandshake {
  sluiceRelay: 1;
  token: string;
}

export type RelayHandshakeReply = { ok: true } | { ok: false; message: string };

/** The first line a relay sends. */
export function relayHandshakeLine(token: string): string {
  return `${JSON.stringify({ sluiceRelay: 1, token } satisfies RelayHandshake)}\n`;
}

/** The host's reply to a relay's handshake line. */
export function relayReplyLine(reply: RelayHandshakeReply): string {
  return `${JSON.stringify(reply)}\n`;
}

/** The host's reply line, or undefined when `line` is not one. */
export function parseRelayReply(line: string): RelayHandshakeReply | undefined {
  try {
    const reply = JSON.parse(line) as Partial<{ ok: unknown; message: unknown }>;
    if (reply.ok === true) return { ok: true };
    if (reply.ok === false && typeof reply.message === 'string') return { ok: false, message: reply.message.slice(0, 500) };
  } catch {
    // Not JSON: not our host.
  }
  return undefined;
}

/** The token in a relay's handshake line, or undefined when `line` is not one. */
export function relayHandshakeToken(line: string): string | undefined {
  try {
    const handshake = JSON.parse(line) as Partial<Record<keyof RelayHandshake, unknown>>;
    return handshake.sluiceRelay === 1 && typeof handshake.token === 'string' ? handshake.token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the first line `socket` carries, for both ends of the handshake: `done` gets it with the
 * socket paused and whatever came after the line put back unread (the MCP messages that follow),
 * or undefined once the peer has sent more than RELAY_HANDSHAKE_MAX_BYTES without ending a line
 * within them. Answers the function that stops reading (a timeout).
 */
export function readHandshakeLine(socket: Socket, done: (line: string | undefined) => void): () => void {
  let received = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf(0x0a);
    if (end === -1 && received.length <= RELAY_HANDSHAKE_MAX_BYTES) return;
    socket.off('data', onData);
    socket.pause();
    if (end === -1 || end > RELAY_HANDSHAKE_MAX_BYTES) return done(undefined);
    const rest = received.subarray(end + 1);
    if (rest.length > 0) socket.unshift(rest);
    done(received.subarray(0, end).toString('utf8'));
  };
  socket.on('data', onData);
  return () => socket.off('data', onData);
}

export class RelayListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private unidentified = 0;

  constructor(
    private readonly verify: (token: string | undefined) => TokenIdentity | undefined,
    /** A connection passed the handshake: it is an MCP session from here on (any bytes after the handshake are still unread in it). */
    private readonly onSession: (identity: TokenIdentity, socket: Socket) => void,
  ) {}

  /** Listens on 127.0.0.1 at a free port; answers the port. */
  async start(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.unidentified >= MAX_UNIDENTIFIED_CONNECTIONS) {
      socket.destroy();
      return;
    }
    this.unidentified++;
    let identifying = true;
    const identified = () => {
      if (!identifying) return;
      identifying = false;
      this.unidentified--;
    };
    socket.once('close', identified);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined); // a peer that vanishes mid-write: its close follows
    socket.setNoDelay(true);
    const refuse = (message: string) => {
      socket.end(relayReplyLine({ ok: false, message }));
      socket.destroySoon();
    };
    const stopReading = readHandshakeLine(socket, (line) => {
      clearTimeout(timer);
      if (line === undefined) return refuse('Sluice: refused, the relay handshake is too long.');
      identified();
      const identity = this.verify(relayHandshakeToken(line));
      if (!identity) return refuse('Sluice: refused, this relay token is not valid.');
      socket.write(relayReplyLine({ ok: true }));
      this.onSession(identity, socket);
    });
    const timer = setTimeout(() => {
      stopReading();
      refuse('Sluice: the relay did not identify itself in time.');
    }, RELAY_HANDSHAKE_TIMEOUT_MS);
  }
}
