/**
 * RFC 7009 revocation on sign-out, against a recording server on 127.0.0.1: cached metadata is
 * reused, the client authenticates as it does at the token endpoint, and every way the server can
 * fail (no endpoint, unreachable, no answer) comes back as an outcome or an error with a message.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { FetchLike, OAuthDiscoveryState } from '@modelcontextprotocol/client';
import { revokeTokens } from '../../electron/core/auth/token-revocation.js';

interface Received {
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

let servers: Server[] = [];

afterEach(closeServers);

/** A server that records every request and answers `status` (or never answers, with `hang`). */
async function recordingServer(options: { status?: number; hang?: boolean } = {}): Promise<{ origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        authorization: req.headers.authorization,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      if (!options.hang) res.writeHead(options.status ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function discovered(origin: string, extra: Record<string, unknown> = {}): OAuthDiscoveryState {
  return {
    authorizationServerUrl: origin,
    authorizationServerMetadata: {
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      ...extra,
    },
  };
}

const TOKENS = { access_token: 'at-1', token_type: 'Bearer', refresh_token: 'rt-1' };

describe('token revocation (RFC 7009)', () => {
  it('reuses cached metadata and authenticates as the registration says (client_secret_post)', async () => {
    const as = await recordingServer();
    const fetched: string[] = [];
    const fetchFn: FetchLike = (url, init) => {
      fetched.push(String(url));
      return fetch(url, init);
    };
    const outcome = await revokeTokens({
      serverUrl: 'http://127.0.0.1:1/mcp',
      tokens: TOKENS,
      client: { client_id: 'c1', client_secret: 's&1', token_endpoint_auth_method: 'client_secret_post' },
      discovered: discovered(as.origin, { revocation_endpoint: `${as.origin}/revoke` }),
      fetchFn,
    });
    assert.equal(outcome, 'revoked');
    assert.deepEqual(fetched, [`${as.origin}/revoke`], 'no discovery request: the cached metadata was used');
    assert.equal(as.received.length, 1);
    const [request] = as.received;
    assert.equal(request?.authorization, undefined);
    assert.deepEqual(Object.fromEntries(request?.form ?? []), {
      token: 'rt-1',
      token_type_hint: 'refresh_token',
      client_id: 'c1',
      client_secret: 's&1',
    });
  });

  it('a secret without a stated method goes in Basic auth; without a refresh token the access token is revoked', async () => {
    const as = await recordingServer();
    await revokeTokens({
      serverUrl: 'http://127.0.0.1:1/mcp',
      tokens: { access_token: 'at-2', token_type: 'Bearer' },
      client: { client_id: 'my client', client_secret: 'p:w' },
      discovered: discovered(as.origin, { revocation_endpoint: `${as.origin}/revoke` }),
    });
    const [request] = as.received;
    assert.equal(request?.authorization, `Basic ${Buffer.from('my+client:p%3Aw').toString('base64')}`);
    assert.deepEqual(Object.fromEntries(request?.form ?? []), { token: 'at-2', token_type_hint: 'access_token' });
  });

  it('no revocation endpoint: nothing is sent', async () => {
    const as = await recordingServer();
    const outcome = await revokeTokens({
      serverUrl: 'http://127.0.0.1:1/mcp',
      tokens: TOKENS,
      client: { client_id: 'c1' },
      discovered: discovered(as.origin),
    });
    assert.equal(outcome, 'unsupported');
    assert.equal(as.received.length, 0);
  });

  it('a refusal, an unreachable server and a server that never answers each fail with a message', async () => {
    const refusing = await recordingServer({ status: 503 });
    await assert.rejects(
      revokeTokens({
        serverUrl: 'http://127.0.0.1:1/mcp',
        tokens: TOKENS,
        client: { client_id: 'c1' },
        discovered: discovered(refusing.origin, { revocation_endpoint: `${refusing.origin}/revoke` }),
      }),
      /answered 503/,
    );
    const gone = await recordingServer();
    const goneOrigin = gone.origin;
    await closeServers();
    await assert.rejects(
      revokeTokens({
        serverUrl: 'http://127.0.0.1:1/mcp',
        tokens: TOKENS,
        client: { client_id: 'c1' },
        discovered: discovered(goneOrigin, { revocation_endpoint: `${goneOrigin}/revoke` }),
      }),
      (error: unknown) => error instanceof Error && error.message.length > 0,
    );
    const silent = await recordingServer({ hang: true });
    await assert.rejects(
      revokeTokens({
        serverUrl: 'http://127.0.0.1:1/mcp',
        tokens: TOKENS,
        client: { client_id: 'c1' },
        discovered: discovered(silent.origin, { revocation_endpoint: `${silent.origin}/revoke` }),
        timeoutMs: 300,
      }),
      /no answer within/,
    );
  });
});

async function closeServers(): Promise<void> {
  const closing = servers;
  servers = [];
  await Promise.all(
    closing.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}
