/**
 * The calling apps in the gateway tests: real SDK clients of both generations (v1
 * `@modelcontextprotocol/sdk`, v2 `@modelcontextprotocol/client`) connected to the gateway over
 * Streamable HTTP with a bearer token.
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport } from '@modelcontextprotocol/client';
import type { SluiceHost } from '../../electron/core/host.js';

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
