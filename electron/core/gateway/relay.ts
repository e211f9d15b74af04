/**
 * The stdio relay, for apps that only launch stdio servers (Claude Desktop): stdin/stdout on one
 * side, the running host's gateway endpoint on the other. Messages pass through unchanged (a
 * transport-level pipe: the SDK's stdio server transport and Streamable HTTP client transport),
 * so the app talks to the gateway itself; the relay only adds the token and the session.
 *
 * The host is found through the discovery file in the data folder. When none answers, the relay
 * asks `startHost` to start one and waits for it; without one (or when it does not come up) every
 * request the app sends gets a JSON-RPC error that says so in one sentence. Nothing but MCP
 * messages is ever written to stdout; diagnostics go to stderr.
 */
import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { readDiscovery, type Discovery } from './discovery.js';

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

/** Whether the discovery file names a live endpoint that accepts its token. */
async function reachable(discovery: Discovery): Promise<boolean> {
  try {
    // Without a session our endpoint answers 400; a stale token (another host) 401; nothing: not running.
    const response = await fetch(discovery.url, {
      method: 'GET',
      headers: { Authorization: `Bearer ${discovery.token}` },
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    return response.status !== 401 && response.status !== 403;
  } catch {
    return false;
  }
}

async function findHost(options: RelayOptions): Promise<Discovery | undefined> {
  const current = await readDiscovery(options.dataDir);
  if (current && (await reachable(current))) return current;
  if (!options.startHost) return undefined;
  options.log?.('sluice relay: no running Sluice found; starting one');
  options.startHost();
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const started = await readDiscovery(options.dataDir);
    if (started && (await reachable(started))) return started;
  }
  return undefined;
}

function errorFor(message: JSONRPCMessage, text: string): JSONRPCMessage | undefined {
  if (!('method' in message) || !('id' in message)) return undefined;
  return { jsonrpc: '2.0', id: message.id, error: { code: -32603, message: text } };
}

/** Runs until stdin closes (the app quit) or the host goes away. */
export async function runRelay(options: RelayOptions): Promise<void> {
  const stdio = new StdioServerTransport(options.stdin, options.stdout);
  const ended = new Promise<void>((resolve) => {
    stdio.onclose = () => resolve();
    (options.stdin ?? process.stdin).once('end', () => resolve());
  });
  // Messages that arrive while we look for the host wait here.
  const early: JSONRPCMessage[] = [];
  stdio.onmessage = (message) => early.push(message);
  await stdio.start();
  const host = await findHost(options);

  if (!host) {
    options.log?.(`sluice relay: ${NO_HOST_MESSAGE}`);
    const refuse = (message: JSONRPCMessage) => {
      const error = errorFor(message, NO_HOST_MESSAGE);
      if (error) void stdio.send(error).catch(() => undefined);
    };
    early.splice(0).forEach(refuse);
    stdio.onmessage = refuse;
    await ended;
    return;
  }

  const http = new StreamableHTTPClientTransport(new URL(host.url), {
    requestInit: { headers: { Authorization: `Bearer ${host.token}` } },
  });
  /** Requests sent on and not answered yet: they get an error if the host goes away. */
  const pending = new Map<string | number, JSONRPCMessage>();
  let initializeId: string | number | undefined;

  http.onmessage = (message) => {
    if ('id' in message && !('method' in message) && message.id !== null && message.id !== undefined) {
      pending.delete(message.id);
      // The session's protocol version goes in a header on every later request.
      if (message.id === initializeId && 'result' in message) {
        const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') http.setProtocolVersion(version);
      }
    }
    void stdio.send(message).catch(() => undefined);
  };
  http.onerror = (error) => options.log?.(`sluice relay: ${error.message}`);
  const failPending = (text: string) => {
    for (const message of pending.values()) {
      const error = errorFor(message, text);
      if (error) void stdio.send(error).catch(() => undefined);
    }
    pending.clear();
  };
  http.onclose = () => failPending('Sluice closed the connection (it quit or restarted).');

  const forward = (message: JSONRPCMessage) => {
    if ('method' in message && 'id' in message && message.id !== undefined) {
      pending.set(message.id, message);
      if (message.method === 'initialize') initializeId = message.id;
    }
    http.send(message).catch((error: unknown) => {
      const text = `Sluice did not accept the message: ${error instanceof Error ? error.message : String(error)}`;
      const reply = errorFor(message, text);
      if ('id' in message && message.id !== undefined) pending.delete(message.id);
      if (reply) void stdio.send(reply).catch(() => undefined);
    });
  };
  await http.start();
  stdio.onmessage = forward;
  early.splice(0).forEach(forward);
  await ended;
  // The app quit: end the session so the host lists it as gone.
  await http.terminateSession().catch(() => undefined);
  await http.close().catch(() => undefined);
}
