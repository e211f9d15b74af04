/**
 * The calling apps in the gateway tests: real SDK clients of both generations (v1
 * `@modelcontextprotocol/sdk`, v2 `@modelcontextprotocol/client`) connected to the gateway over
 * Streamable HTTP with a bearer token, or (v1, as Claude Desktop does) through the stdio relay.
 */
import path from 'node:path';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport } from '@modelcontextprotocol/client';
import type { SluiceHost } from '../../electron/core/host.js';
import { childEnv, FIXTURES_DIR } from '../fixtures/harness.js';

export const REPO_ROOT = path.resolve(FIXTURES_DIR, '..', '..');
export const RELAY_SOURCE = path.join(REPO_ROOT, 'electron', 'web', 'mcp-stdio.ts');
export const RELAY_BUILT = path.join(REPO_ROOT, 'dist', 'electron', 'mcp-stdio.cjs');

/** The relay as an app launches it (`--data-dir` names the host's data folder): from source under tsx, or the built file. */
export function relayTransport(dataDir: string, extra: string[] = [], built = false): V1StdioTransport {
  return new V1StdioTransport({
    command: process.execPath,
    args: built ? [RELAY_BUILT, '--data-dir', dataDir, ...extra] : ['--import', 'tsx', RELAY_SOURCE, '--data-dir', dataDir, ...extra],
    env: childEnv({ SLUICE_GATEWAY_PORT: '0' }),
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
}

/**
 * A v1 app reaching `host` over HTTP with `token`, or launched through the relay (which finds the
 * host by its data folder, `dataDir`): for tests that run the same calls both ways.
 */
export function connectV1Via(
  via: 'http' | 'relay',
  host: SluiceHost,
  dataDir: string,
  token: string,
  name?: string,
  capabilities?: Record<string, unknown>,
): Promise<V1Client> {
  return via === 'http' ? connectV1(host, token, name, capabilities) : connectRelay(dataDir, name, capabilities);
}

/** A v1 client connected through the relay to the host whose data folder is `dataDir`. */
export async function connectRelay(dataDir: string, name = 'relay-app', capabilities: Record<string, unknown> = {}): Promise<V1Client> {
  const client = new V1Client({ name, version: '1.2.3' }, { capabilities });
  await client.connect(relayTransport(dataDir));
  // Answered after the host has handled the app's `initialized`: from here on its tool calls are
  // answered by relay-calls.ts (a call arriving with `initialized` still goes through the SDK server).
  await client.ping();
  return client;
}

export function gatewayUrl(host: SluiceHost): URL {
  const port = host.gateway.listeningPort;
  if (port === undefined) throw new Error('The gateway is not listening');
  return new URL(`http://127.0.0.1:${port}/mcp`);
}

export async function connectV1(
  host: SluiceHost,
  token: string,
  name = 'test-app-v1',
  capabilities: Record<string, unknown> = {},
): Promise<V1Client> {
  const client = new V1Client({ name, version: '1.2.3' }, { capabilities });
  await client.connect(new V1HttpTransport(gatewayUrl(host), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

export async function connectV2(
  host: SluiceHost,
  token: string,
  options: { name?: string; modern?: boolean; capabilities?: Record<string, unknown> } = {},
): Promise<V2Client> {
  const client = new V2Client(
    { name: options.name ?? 'test-app-v2', version: '2.0.0' },
    {
      ...(options.modern ? { versionNegotiation: { mode: { pin: '2026-07-28' as const } } } : {}),
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    },
  );
  await client.connect(new V2HttpTransport(gatewayUrl(host), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}
