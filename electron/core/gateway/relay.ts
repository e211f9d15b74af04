/**
 * The stdio relay, for apps that only launch stdio servers (Claude Desktop): stdin/stdout on one
 * side, the running host on the other. After a one-line token handshake on the host's relay port
 * (RelayListener), the relay is a byte pipe: the app's messages reach the host exactly as the app
 * wrote them, one per line, and the host's come back the same way. The relay reads each line only
 * to note which requests are waiting for an answer, so that if Sluice goes away every one of them
 * is answered with a sentence instead of hanging.
 *
 * The host is found through the discovery file in the data folder. When none answers, the relay
 * asks `startHost` to start one and waits for it; without one (or when it does not come up) every
 * request the app sends gets a JSON-RPC error that says so in one sentence. Nothing but MCP
 * messages is ever written to stdout; diagnostics go to stderr.
 */
import { connect, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { readDiscovery, type Discovery } from './discovery.js';
import { parseRelayReply, readHandshakeLine, relayHandshakeLine } from './relay-listener.js';

export interface RelayOptions {
  dataDir: string;
  stdin?: Readable;
  stdout?: Writable;
  /** Starts a host for this data folder (detached); absent: no host means the one-sentence error. */
  startHost?: () => void;
  /** How long to wait for a started host's endpoint. */
  startTimeoutMs?: number;
  /** Diagnostics (stderr). */
  log?: (line: string) => void;
}

export const NO_HOST_MESSAGE = 'Sluice is not running and could not be started: open Sluice (or run `npm run web`) and try again.';
const POLL_MS = 200;

/** How long connecting to a host and its handshake reply may take. */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Connects to the host the discovery file names and passes the handshake: the socket, ready to
 * carry MCP lines (paused, nothing read past the reply), or undefined when no host answers as ours.
 */
function connectToHost(discovery: Discovery): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: discovery.relayPort });
    const fail = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    };
    const timer = setTimeout(fail, CONNECT_TIMEOUT_MS);
    socket.once('error', fail);
    socket.once('close', fail);
    socket.once('connect', () => {
      socket.setNoDelay(true);
      socket.write(relayHandshakeLine(discovery.token));
    });
    readHandshakeLine(socket, (line) => {
      if (line === undefined || parseRelayReply(line)?.ok !== true) return fail();
      clearTimeout(timer);
      socket.off('error', fail);
      socket.off('close', fail);
      resolve(socket);
    });
  });
}

async function findHost(options: RelayOptions): Promise<Socket | undefined> {
  const current = await readDiscovery(options.dataDir);
  const socket = current && (await connectToHost(current));
  if (socket) return socket;
  if (!options.startHost) return undefined;
  options.log?.('sluice relay: no running Sluice found; starting one');
  options.startHost();
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const started = await readDiscovery(options.dataDir);
    const connected = started && (await connectToHost(started));
    if (connected) return connected;
  }
  return undefined;
}

/** The JSON-RPC error that answers request `id` with a sentence. */
function errorReply(id: string | number, text: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: -32603, message: text } };
}

function errorFor(message: JSONRPCMessage, text: string): JSONRPCMessage | undefined {
  return 'method' in message && 'id' in message ? errorReply(message.id, text) : undefined;
}

/** Lines longer than this are passed on without being read for their id (a huge result or argument). */
const TRACKED_LINE_MAX = 1024 * 1024;
/** Requests remembered as waiting at once (the app controls how many it sends). */
const MAX_PENDING = 10_000;

/**
 * Reads whole lines out of a byte stream as they pass, to call `onLine` with each parsed message.
 * A line too long to be worth parsing is skipped (and never buffered past TRACKED_LINE_MAX).
 */
function lineWatcher(onMessage: (message: Record<string, unknown>) => void): (chunk: Buffer) => void {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let skipping = false;
  return (chunk) => {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (!skipping) {
        const line = partialBytes === 0 ? chunk.subarray(start, end) : Buffer.concat([...partial, chunk.subarray(start, end)]);
        try {
          const message: unknown = JSON.parse(line.toString('utf8'));
          if (message && typeof message === 'object' && !Array.isArray(message)) onMessage(message as Record<string, unknown>);
        } catch {
          // Not JSON: the host will say so to the app.
        }
      }
      partial = [];
      partialBytes = 0;
      skipping = false;
      start = end + 1;
    }
    if (start < chunk.length && !skipping) {
      partial.push(chunk.subarray(start));
      partialBytes += chunk.length - start;
      if (partialBytes > TRACKED_LINE_MAX) {
        partial = [];
        partialBytes = 0;
        skipping = true;
      }
    }
  };
}

/** Runs until stdin closes (the app quit) or the host goes away. */
export async function runRelay(options: RelayOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  // The app may speak first: its bytes wait in stdin's buffer until the host is found.
  stdin.pause();
  const host = await findHost(options);
  if (!host) return refuseEverything(options);

  /** Requests sent on and not answered yet: they get an error if the host goes away. */
  const pending = new Map<string | number, true>();
  const fromApp = lineWatcher((message) => {
    const id = message.id;
    if (typeof message.method === 'string' && (typeof id === 'string' || typeof id === 'number') && pending.size < MAX_PENDING)
      pending.set(id, true);
  });
  const fromHost = lineWatcher((message) => {
    const id = message.id;
    if (message.method === undefined && (typeof id === 'string' || typeof id === 'number')) pending.delete(id);
  });

  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (hostGone: boolean) => {
      if (done) return;
      done = true;
      stdin.unpipe(host);
      host.unpipe(stdout);
      if (hostGone) {
        const text = 'Sluice closed the connection (it quit or restarted): start the request again.';
        for (const id of pending.keys()) stdout.write(`${JSON.stringify(errorReply(id, text))}\n`);
        pending.clear();
        options.log?.('sluice relay: Sluice closed the connection');
      }
      host.destroy();
      // The caller exits next: the answers above must have left first.
      stdout.write('', () => resolve());
    };
    // pipe() keeps each side's pace (a slow reader pauses the writer) and does not end stdout.
    stdin.pipe(host);
    host.pipe(stdout, { end: false });
    // Listeners run in the order added: each chunk is passed on first and read for ids after.
    stdin.on('data', fromApp);
    host.on('data', fromHost);
    const appGone = () => {
      // The app quit: ending our side ends the session in the host.
      host.end();
      finish(false);
    };
    stdin.once('end', appGone);
    // The app closed its end of our stdout (it quit): nothing more can reach it.
    stdout.on('error', appGone);
    host.once('close', () => finish(true));
    host.on('error', (error) => options.log?.(`sluice relay: ${error.message}`));
  });
}

/** No host: every request the app sends is answered with the one-sentence error, until it quits. */
async function refuseEverything(options: RelayOptions): Promise<void> {
  options.log?.(`sluice relay: ${NO_HOST_MESSAGE}`);
  const stdio = new StdioServerTransport(options.stdin, options.stdout);
  const ended = new Promise<void>((resolve) => {
    stdio.onclose = () => resolve();
    (options.stdin ?? process.stdin).once('end', () => resolve());
  });
  stdio.onmessage = (message: JSONRPCMessage) => {
    const error = errorFor(message, NO_HOST_MESSAGE);
    if (error) void stdio.send(error).catch(() => undefined);
  };
  await stdio.start();
  (options.stdin ?? process.stdin).resume(); // paused while the host was looked for
  await ended;
}
