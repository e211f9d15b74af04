/**
 * Signing in to a remote MCP server with OAuth, against the test authorization server on
 * 127.0.0.1 (tests/fixtures/oauth-server.ts). The test plays the browser: the host's
 * `openExternal` fetches the authorization URL without following the redirect, then delivers the
 * redirect to Sluice's loopback listener, exactly as a browser would.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { SluiceHost, type HostOptions } from '../../electron/core/host.js';
import { SIGN_IN_EXPIRED, SIGN_IN_NEEDED, SIGN_IN_NO_METADATA } from '../../electron/core/auth/oauth-provider.js';
import { AuthSettingsStore } from '../../electron/core/auth/auth-settings.js';
import { OAuthStore } from '../../electron/core/auth/oauth-store.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from '../fixtures/oauth-server.js';
import { readSecrets, statusOf, waitFor } from '../helpers/server-status.js';
import { tempDir, textOf } from '../helpers/test-host.js';

/** What the pretend browser saw on the loopback page. */
interface BrowserVisit {
  authorizationUrl: URL;
  callbackStatus: number;
  callbackPage: string;
}

interface Setup {
  host: SluiceHost;
  oauth: OAuthServer;
  dataDir: string;
  visits: Promise<BrowserVisit>[];
  /** Every payload the host pushed to renderers, serialized. */
  rendererPayloads: string[];
}

let current: Setup | undefined;

async function setup(
  oauthOptions: OAuthServerOptions = {},
  tamper?: (callback: URL) => void | Promise<void>,
  hostOptions: Partial<HostOptions> = {},
): Promise<Setup> {
  const oauth = await startOAuthServer(oauthOptions);
  const dataDir = tempDir('sluice-oauth-');
  const visits: Promise<BrowserVisit>[] = [];
  const host = await SluiceHost.start({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    mode: 'desktop',
    // The system browser: opening returns at once, the page loads on its own.
    openExternal: async (url) => {
      visits.push(playBrowser(new URL(url), tamper));
    },
    ...hostOptions,
  });
  const rendererPayloads: string[] = [];
  host.events.on('servers:changed', (statuses) => rendererPayloads.push(JSON.stringify(statuses)));
  current = { host, oauth, dataDir, visits, rendererPayloads };
  return current;
}

async function playBrowser(authorizationUrl: URL, tamper?: (callback: URL) => void | Promise<void>): Promise<BrowserVisit> {
  const authorize = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(authorize.status, 302, 'the authorization server redirects back');
  const callback = new URL(authorize.headers.get('location') ?? '');
  await tamper?.(callback);
  const page = await fetch(callback);
  return { authorizationUrl, callbackStatus: page.status, callbackPage: await page.text() };
}

afterEach(async () => {
  await current?.host.close();
  await current?.oauth.close();
  current = undefined;
});

function storedTokens(dataDir: string, name: string): { access_token: string; refresh_token?: string } | undefined {
  const raw = readSecrets(dataDir)[OAuthStore.key(name, 'tokens')];
  return raw ? (JSON.parse(raw) as { tokens: { access_token: string; refresh_token?: string } }).tokens : undefined;
}

async function signedInServer(setupOptions: OAuthServerOptions = {}): Promise<Setup> {
  const s = await setup(setupOptions);
  await s.host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: s.oauth.mcpUrl } });
  await waitFor(s.host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
  await s.host.invoke('servers:signIn', { name: 'remote' });
  await waitFor(s.host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected and signed in');
  return s;
}

describe('OAuth sign-in', () => {
  it('a protected server asks for sign-in and opens nothing until the user presses Sign in', async () => {
    const { host, oauth, visits } = await setup();
    await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: oauth.mcpUrl } });
    const status = await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    assert.equal(status.state, 'error');
    assert.equal(status.auth?.message, SIGN_IN_NEEDED);
    assert.equal(status.error, SIGN_IN_NEEDED);
    assert.equal(visits.length, 0, 'no browser was opened');
    assert.equal(oauth.count('authorize'), 0);
    assert.equal(oauth.count('register'), 0, 'no client registered before the user asked to sign in');
  });

  it('signs in (dynamic registration, PKCE S256, state), then tool calls carry the token', async () => {
    const { host, oauth, visits, dataDir, rendererPayloads } = await signedInServer();
    assert.equal(visits.length, 1);
    const visit = await visits[0]!;
    assert.equal(visit.callbackStatus, 200);
    assert.match(visit.callbackPage, /signed in to remote/);

    const authorize = oauth.events.find((e) => e.kind === 'authorize');
    assert.ok(authorize && authorize.kind === 'authorize');
    assert.equal(authorize.codeChallengeMethod, 'S256');
    assert.ok(authorize.state && authorize.state.length >= 32, 'a random state was sent');
    assert.equal(authorize.resource, oauth.mcpUrl, 'the RFC 8707 resource names the server');
    assert.match(authorize.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(oauth.count('register'), 1);
    assert.equal(
      oauth.count('token', (e) => e.kind === 'token' && e.grantType === 'authorization_code' && e.ok && e.pkceVerified === true),
      1,
    );

    const result = await host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'hello' } });
    assert.equal(textOf(result), 'echo: hello');
    assert.ok(oauth.count('mcp', (e) => e.kind === 'mcp' && e.authorized && e.method === 'tools/call') >= 1);

    // Stored in the secret store; never in anything the renderer gets.
    const tokens = storedTokens(dataDir, 'remote');
    assert.ok(tokens);
    assert.ok(tokens.access_token.startsWith('at-') && tokens.refresh_token?.startsWith('rt-'));
    assert.equal(readSecrets(dataDir)[OAuthStore.key('remote', 'verifier')], undefined, 'the PKCE verifier is gone after the exchange');
    const clientId = JSON.parse(readSecrets(dataDir)[OAuthStore.key('remote', 'client')] ?? '{}').client_id as string;
    assert.ok(clientId.startsWith('dyn-'));
    const visible = [
      ...rendererPayloads,
      JSON.stringify(await host.invoke('servers:list', {})),
      JSON.stringify(await host.invoke('app:info', {})),
      JSON.stringify(await host.invoke('servers:logs', { name: 'remote' })),
    ].join('\n');
    assert.ok(!visible.includes(tokens.access_token), 'the access token never reaches the renderer');
    assert.ok(!visible.includes(tokens.refresh_token ?? 'none'), 'the refresh token never reaches the renderer');
    assert.ok(!readFileSync(path.join(dataDir, 'servers.json'), 'utf8').includes('at-'));
  });

  it('an expired access token is refreshed without the user noticing', async () => {
    const { host, oauth, dataDir } = await signedInServer();
    const before = storedTokens(dataDir, 'remote');
    oauth.expireAccessTokens();
    const result = await host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'still here' } });
    assert.equal(textOf(result), 'echo: still here');
    // The request and the event stream may both meet the 401: refreshes run one after the other, and all succeed.
    assert.ok(oauth.count('token', (e) => e.kind === 'token' && e.grantType === 'refresh_token' && e.ok) >= 1);
    assert.equal(
      oauth.count('token', (e) => e.kind === 'token' && !e.ok),
      0,
      'no refresh was refused',
    );
    const afterRefresh = storedTokens(dataDir, 'remote');
    assert.notEqual(afterRefresh?.access_token, before?.access_token, 'the new tokens were stored');
    const status = await statusOf(host, 'remote');
    assert.equal(status?.state, 'connected');
    assert.equal(status?.auth?.state, 'signed-in');
  });

  it('revoked tokens: the server goes back to "Sign in" with a message, and signing in again works', async () => {
    const { host, oauth, dataDir, visits } = await signedInServer();
    oauth.revokeAll();
    await assert.rejects(host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'x' } }));
    const status = await waitFor(
      host,
      'remote',
      (st) => st.state === 'error' && st.auth?.state === 'signed-out',
      'signed out after revocation',
    );
    assert.equal(status.auth?.message, SIGN_IN_EXPIRED);
    assert.equal(storedTokens(dataDir, 'remote'), undefined, 'the dead tokens were dropped');
    assert.ok(
      oauth.count('token', (e) => e.kind === 'token' && e.grantType === 'refresh_token' && !e.ok) >= 1,
      'a refresh was tried first',
    );
    assert.equal(visits.length, 1, 'no browser opened on its own');

    await host.invoke('servers:signIn', { name: 'remote' });
    await waitFor(host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in again');
    const result = await host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'back' } });
    assert.equal(textOf(result), 'echo: back');
    assert.equal(oauth.count('register'), 1, 'the registration was reused');
  });

  it('the sign-in survives a restart of Sluice: the stored token is used, no browser', async () => {
    const s = await signedInServer();
    await s.host.close();
    const visitsBefore = s.visits.length;
    const authorizeBefore = s.oauth.count('authorize');
    s.host = await SluiceHost.start({
      dataDir: s.dataDir,
      secrets: new FileSecretStore(path.join(s.dataDir, 'secrets.json')),
      mode: 'desktop',
      openExternal: async (url) => {
        s.visits.push(playBrowser(new URL(url)));
      },
    });
    const status = await waitFor(s.host, 'remote', (st) => st.state === 'connected', 'connected after restart');
    assert.equal(status.auth?.state, 'signed-in');
    assert.equal(s.visits.length, visitsBefore);
    assert.equal(s.oauth.count('authorize'), authorizeBefore);
    const result = await s.host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'again' } });
    assert.equal(textOf(result), 'echo: again');
  });

  it('a redirect with the wrong state is refused and ignored: the sign-in goes on and the real redirect completes it', async () => {
    let forged: { status: number; page: string } | undefined;
    const { host, oauth } = await setup({}, async (callback) => {
      // A local page gets to the loopback port first, with a code of its own and a guessed state.
      const bogus = new URL(callback);
      bogus.searchParams.set('state', 'forged-state');
      bogus.searchParams.set('code', 'attacker-code');
      const res = await fetch(bogus);
      forged = { status: res.status, page: await res.text() };
    });
    await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: oauth.mcpUrl } });
    await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'remote' });
    await waitFor(host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in with the real redirect');
    assert.equal(forged?.status, 400);
    assert.match(forged?.page ?? '', /Sign-in refused/);
    assert.equal(
      oauth.count('token', (e) => e.kind === 'token' && e.grantType === 'authorization_code'),
      1,
      'only the real code was exchanged',
    );
  });

  it('a static client ID: no registration, the secret is stored as a secret and sent to the token endpoint', async () => {
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/callback`;
    const { host, oauth, dataDir } = await setup({
      disableRegistration: true,
      staticClients: [{ client_id: 'sluice-desktop', client_secret: 'static-s3cret', redirect_uris: [redirect] }],
    });
    await host.invoke('servers:save', {
      definition: { name: 'corp', type: 'http', url: oauth.mcpUrl, oauth: { clientId: 'sluice-desktop', redirectPort: port } },
      clientSecret: 'static-s3cret',
    });
    await waitFor(host, 'corp', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'corp' });
    await waitFor(host, 'corp', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected and signed in');
    const result = await host.invoke('servers:callTool', { name: 'corp', tool: 'echo', arguments: { text: 'static' } });
    assert.equal(textOf(result), 'echo: static');

    assert.equal(oauth.count('register'), 0, 'no registration request');
    const authorize = oauth.events.find((e) => e.kind === 'authorize');
    assert.ok(authorize?.kind === 'authorize' && authorize.clientId === 'sluice-desktop' && authorize.redirectUri === redirect);
    assert.equal(
      oauth.count('token', (e) => e.kind === 'token' && e.clientId === 'sluice-desktop' && e.ok && e.pkceVerified === true),
      1,
    );
    assert.ok(!readFileSync(path.join(dataDir, 'servers.json'), 'utf8').includes('static-s3cret'), 'the secret is not in servers.json');
    assert.equal(readSecrets(dataDir)[OAuthStore.key('corp', 'client-secret')], 'static-s3cret');
    assert.ok(!JSON.stringify(await host.invoke('servers:list', {})).includes('static-s3cret'));
  });

  it('sign out forgets the tokens and shows Sign in again; removing the server forgets everything', async () => {
    const { host, dataDir } = await signedInServer();
    await host.invoke('servers:signOut', { name: 'remote' });
    const status = await waitFor(host, 'remote', (st) => st.state === 'error' && st.auth?.state === 'signed-out', 'signed out');
    assert.ok(status.auth?.message);
    assert.equal(storedTokens(dataDir, 'remote'), undefined);
    await host.invoke('servers:remove', { name: 'remote' });
    assert.deepEqual(
      Object.keys(readSecrets(dataDir)).filter((key) => key.startsWith('oauth:')),
      [],
    );
  });

  it('sign out revokes the refresh token at the authorization server (RFC 7009), which then refuses it', async () => {
    const { host, oauth, dataDir } = await signedInServer();
    const before = storedTokens(dataDir, 'remote');
    assert.ok(before?.refresh_token);
    const clientId = registeredClientId(dataDir, 'remote');
    await host.invoke('servers:signOut', { name: 'remote' });
    const status = await waitFor(host, 'remote', (st) => st.state === 'error' && st.auth?.state === 'signed-out', 'signed out');
    assert.equal(status.auth?.message, 'Signed out.');
    assert.equal(storedTokens(dataDir, 'remote'), undefined);

    const revocations = oauth.events.filter((e) => e.kind === 'revoke');
    assert.deepEqual(revocations, [
      {
        kind: 'revoke',
        clientId,
        clientAuth: 'none',
        token: before.refresh_token,
        tokenTypeHint: 'refresh_token',
        contentType: 'application/x-www-form-urlencoded',
        ok: true,
      },
    ]);
    // The server no longer honours the old tokens: the refresh token is refused, the access token too.
    const refresh = await postForm(`${oauth.origin}/token`, {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token,
      client_id: clientId,
    });
    assert.equal(refresh.status, 400);
    assert.equal(((await refresh.json()) as { error?: string }).error, 'invalid_grant');
    const mcp = await fetch(oauth.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${before.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(mcp.status, 401);
  });

  it('a confidential static client authenticates its revocation with its secret', async () => {
    const port = await freePort();
    const { host, oauth } = await setup({
      disableRegistration: true,
      staticClients: [
        { client_id: 'sluice-desktop', client_secret: 'static-s3cret', redirect_uris: [`http://127.0.0.1:${port}/callback`] },
      ],
    });
    await host.invoke('servers:save', {
      definition: { name: 'corp', type: 'http', url: oauth.mcpUrl, oauth: { clientId: 'sluice-desktop', redirectPort: port } },
      clientSecret: 'static-s3cret',
    });
    await waitFor(host, 'corp', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'corp' });
    await waitFor(host, 'corp', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected and signed in');
    await host.invoke('servers:signOut', { name: 'corp' });
    const revocations = oauth.events.filter((e) => e.kind === 'revoke');
    assert.equal(revocations.length, 1);
    const revocation = revocations[0];
    assert.ok(revocation?.kind === 'revoke');
    // The fixture checks the secret: `ok` means it was the right one.
    assert.equal(revocation.clientAuth, 'client_secret_basic');
    assert.equal(revocation.clientId, 'sluice-desktop');
    assert.equal(revocation.tokenTypeHint, 'refresh_token');
    assert.equal(revocation.ok, true);
    assert.equal((await statusOf(host, 'corp'))?.auth?.message, 'Signed out.');
  });

  it('sign out still forgets the tokens when the revocation endpoint fails, and says so', async () => {
    const { host, oauth, dataDir } = await signedInServer();
    oauth.failRevocations(500);
    const response = await host.invoke('servers:signOut', { name: 'remote' });
    assert.deepEqual(response, { ok: true }, 'signing out succeeded');
    const status = await waitFor(host, 'remote', (st) => st.state === 'error' && st.auth?.state === 'signed-out', 'signed out');
    assert.match(status.auth?.message ?? '', /^Signed out \(the server could not be told: .*500.*\)\.$/);
    assert.equal(
      oauth.count('revoke', (e) => e.kind === 'revoke' && !e.ok),
      1,
      'the revocation was tried once',
    );
    assert.equal(storedTokens(dataDir, 'remote'), undefined, 'the tokens are forgotten anyway');
    // The reconnect after signing out went without the old token (it is still valid at the server).
    const afterRevocation = oauth.events.slice(oauth.events.findIndex((e) => e.kind === 'revoke'));
    assert.ok(
      afterRevocation.some((e) => e.kind === 'mcp' && e.method !== undefined),
      'the server was asked again after signing out',
    );
    assert.ok(!afterRevocation.some((e) => e.kind === 'mcp' && e.method !== undefined && e.authorized), 'the old token is not sent again');
  });
});

/** The scope of each authorization request the server received, in order. */
function authorizeScopes(oauth: OAuthServer): Array<string | null> {
  return oauth.events.flatMap((e) => (e.kind === 'authorize-scope' ? [e.scope] : []));
}

describe("OAuth sign-in: the spec's scope, discovery and client rules (issue 15)", () => {
  it('asks for the scope the 401 challenge names (WWW-Authenticate scope), with the configured ones', async () => {
    const { host, oauth } = await setup({ challengeScope: 'mcp:read mcp:tools', scopesSupported: ['mcp:everything'] });
    await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: oauth.mcpUrl, oauth: { scopes: ['profile'] } } });
    await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'remote' });
    await waitFor(host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    assert.deepEqual(authorizeScopes(oauth), ['mcp:read mcp:tools profile']);
  });

  it("without a challenge scope, asks for the resource metadata's scopes_supported; with neither, for none", async () => {
    const first = await signedInServer({ scopesSupported: ['mcp:a', 'mcp:b'] });
    assert.deepEqual(authorizeScopes(first.oauth), ['mcp:a mcp:b']);
    await first.host.close();
    await first.oauth.close();
    const second = await signedInServer({ scopesSupported: [] });
    assert.deepEqual(authorizeScopes(second.oauth), [null]);
  });

  it('403 insufficient_scope: asks for held ∪ required, keeps the token and the connection, and retries the call once', async () => {
    const { host, oauth, dataDir, visits } = await setup({ challengeScope: 'mcp:tools', toolCallScopes: ['mcp:tools', 'mcp:write'] });
    await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: oauth.mcpUrl } });
    await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'remote' });
    await waitFor(host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    const tokenBefore = storedTokens(dataDir, 'remote')?.access_token;
    const initializes = oauth.count('mcp', (e) => e.kind === 'mcp' && e.method === 'initialize');

    const call = host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'written' } });
    const asked = await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'asked to sign in again');
    assert.match(asked.auth?.message ?? '', /more permissions.*mcp:tools mcp:write/);
    assert.equal(asked.state, 'connected', 'the connection stays up');
    assert.equal(storedTokens(dataDir, 'remote')?.access_token, tokenBefore, 'the token in hand is kept until a new one arrives');
    assert.equal(visits.length, 1, 'nothing opened without the user');

    await host.invoke('servers:signIn', { name: 'remote' });
    assert.equal(textOf(await call), 'echo: written', 'the call went through after the new sign-in');
    assert.deepEqual(authorizeScopes(oauth), ['mcp:tools', 'mcp:tools mcp:write']);
    assert.equal(
      oauth.count('mcp', (e) => e.kind === 'mcp' && e.method === 'initialize'),
      initializes,
      'the server was not restarted',
    );
    assert.equal(
      oauth.count('mcp', (e) => e.kind === 'mcp' && e.method === 'tools/call' && e.status === 403),
      1,
    );
  });

  it('a step-up that cannot help stops with a clear message instead of asking again and again', async () => {
    // The authorization server never grants mcp:admin, whatever is asked for.
    const { host, oauth } = await setup({
      challengeScope: 'mcp:tools',
      toolCallScopes: ['mcp:tools', 'mcp:admin'],
      grantableScopes: ['mcp:tools'],
    });
    await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: oauth.mcpUrl } });
    await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'remote' });
    await waitFor(host, 'remote', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    const call = host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'x' } });
    await waitFor(host, 'remote', (st) => st.auth?.state === 'signed-out', 'asked to sign in again');
    await host.invoke('servers:signIn', { name: 'remote' });
    await assert.rejects(call, /although the last sign-in already asked for them/);
    assert.deepEqual(authorizeScopes(oauth), ['mcp:tools', 'mcp:tools mcp:admin'], 'two sign-ins, no third');
    // The next call is refused at once, without another sign-in.
    await assert.rejects(
      host.invoke('servers:callTool', { name: 'remote', tool: 'echo', arguments: { text: 'y' } }),
      /Signing in again would not help/,
    );
    assert.equal(oauth.count('authorize'), 2);
  });

  it('2025-03-26: no metadata at all, so Sign in is offered (saying a header may be wanted) and uses /authorize, /token, /register at the origin', async () => {
    const { host, oauth } = await setup({ noMetadata: true });
    await host.invoke('servers:save', { definition: { name: 'legacy', type: 'http', url: oauth.mcpUrl } });
    const status = await waitFor(host, 'legacy', (st) => st.auth?.state === 'signed-out', 'sign-in offered');
    assert.equal(status.auth?.message, SIGN_IN_NO_METADATA);
    await host.invoke('servers:signIn', { name: 'legacy' });
    await waitFor(host, 'legacy', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    assert.equal(oauth.count('register'), 1);
    assert.equal(
      oauth.count('token', (e) => e.kind === 'token' && e.ok),
      1,
    );
    assert.equal(textOf(await host.invoke('servers:callTool', { name: 'legacy', tool: 'echo', arguments: { text: 'old' } })), 'echo: old');
  });

  it('Client ID Metadata Documents: the configured URL is the client ID, before dynamic registration; the app-wide one otherwise', async () => {
    const own = 'https://sluice.example/oauth/client-metadata.json';
    const { host, oauth } = await setup({ clientIdMetadataDocuments: true }, undefined, {
      clientMetadataUrl: 'https://app.example/client.json',
    });
    await host.invoke('servers:save', { definition: { name: 'cimd', type: 'http', url: oauth.mcpUrl, oauth: { clientMetadataUrl: own } } });
    await host.invoke('servers:save', { definition: { name: 'default', type: 'http', url: oauth.mcpUrl } });
    for (const name of ['cimd', 'default']) {
      await waitFor(host, name, (st) => st.auth?.state === 'signed-out', 'sign-in required');
      await host.invoke('servers:signIn', { name });
      await waitFor(host, name, (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    }
    assert.equal(oauth.count('register'), 0, 'no dynamic registration');
    const clientIds = oauth.events.flatMap((e) => (e.kind === 'authorize' ? [e.clientId] : []));
    assert.deepEqual(clientIds.sort(), ['https://app.example/client.json', own].sort());
    await assert.rejects(
      host.invoke('servers:save', {
        definition: { name: 'bad', type: 'http', url: oauth.mcpUrl, oauth: { clientMetadataUrl: 'http://sluice.example/c.json' } },
      }),
      /https/,
    );
  });

  it('the app-wide client metadata URL is a saved setting (https only, 0600 file) that the next sign-in uses, above the startup default', async () => {
    const saved = 'https://sluice.example/app-wide/client.json';
    const { host, oauth, dataDir } = await setup({ clientIdMetadataDocuments: true }, undefined, {
      clientMetadataUrl: 'https://startup.example/client.json',
    });
    assert.deepEqual(await host.invoke('auth:settings', {}), { startupClientMetadataUrl: 'https://startup.example/client.json' });

    // Refused, and nothing is lost: not https, or no path.
    await assert.rejects(host.invoke('auth:setSettings', { clientMetadataUrl: 'http://sluice.example/client.json' }), /https/);
    await assert.rejects(host.invoke('auth:setSettings', { clientMetadataUrl: 'https://sluice.example/' }), /https/);
    await host.invoke('auth:setSettings', { clientMetadataUrl: ` ${saved} ` });
    await assert.rejects(host.invoke('auth:setSettings', { clientMetadataUrl: 'not a url' }), /https/);
    assert.equal((await host.invoke('auth:settings', {})).clientMetadataUrl, saved);

    const file = path.join(dataDir, 'auth-settings.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { clientMetadataUrl: saved });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const reloaded = new AuthSettingsStore(dataDir);
    await reloaded.load();
    assert.equal(reloaded.clientMetadataUrl(), saved, 'kept across restarts');

    await host.invoke('servers:save', { definition: { name: 'app-wide', type: 'http', url: oauth.mcpUrl } });
    await waitFor(host, 'app-wide', (st) => st.auth?.state === 'signed-out', 'sign-in required');
    await host.invoke('servers:signIn', { name: 'app-wide' });
    await waitFor(host, 'app-wide', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'signed in');
    assert.equal(oauth.count('register'), 0, 'no dynamic registration');
    assert.deepEqual(
      oauth.events.flatMap((e) => (e.kind === 'authorize' ? [e.clientId] : [])),
      [saved],
      'the saved URL is the client ID, not the startup default',
    );

    // Cleared: the startup default applies again.
    await host.invoke('auth:setSettings', {});
    assert.equal((await host.invoke('auth:settings', {})).clientMetadataUrl, undefined);
    assert.equal(host.authSettings.clientMetadataUrl(), 'https://startup.example/client.json');
  });

  it('client credentials with client_secret_basic: no browser, the secret from the secret store in a Basic header', async () => {
    const { host, oauth, dataDir, visits, rendererPayloads } = await setup({
      machineClients: [{ client_id: 'robot', client_secret: 'r0bot-secret' }],
    });
    await host.invoke('servers:save', {
      definition: {
        name: 'm2m',
        type: 'http',
        url: oauth.mcpUrl,
        oauth: { clientId: 'robot', grant: 'client_credentials', clientAuth: 'client_secret_basic' },
      },
      clientSecret: 'r0bot-secret',
    });
    await waitFor(host, 'm2m', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected');
    assert.equal(textOf(await host.invoke('servers:callTool', { name: 'm2m', tool: 'echo', arguments: { text: 'beep' } })), 'echo: beep');
    assert.equal(visits.length, 0, 'no browser');
    assert.equal(
      oauth.count(
        'client-credentials',
        (e) => e.kind === 'client-credentials' && e.ok && e.clientAuth === 'client_secret_basic' && e.clientId === 'robot',
      ),
      1,
    );
    assert.ok(!readFileSync(path.join(dataDir, 'servers.json'), 'utf8').includes('r0bot-secret'));
    assert.ok(!rendererPayloads.some((payload) => payload.includes('r0bot-secret')));
  });

  it('client credentials with private_key_jwt: an assertion signed with the stored key, for the issuer; the key never leaves the secret store', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const { host, oauth, dataDir, visits, rendererPayloads } = await setup({
      machineClients: [{ client_id: 'signer', publicKeyPem: publicPem }],
    });
    await host.invoke('servers:save', {
      definition: {
        name: 'jwt',
        type: 'http',
        url: oauth.mcpUrl,
        oauth: { clientId: 'signer', grant: 'client_credentials', clientAuth: 'private_key_jwt', signingAlgorithm: 'ES256' },
      },
      privateKey: privatePem,
    });
    await waitFor(host, 'jwt', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected');
    assert.equal(
      textOf(await host.invoke('servers:callTool', { name: 'jwt', tool: 'echo', arguments: { text: 'signed' } })),
      'echo: signed',
    );
    assert.equal(visits.length, 0, 'no browser');
    const grant = oauth.events.find((e) => e.kind === 'client-credentials');
    assert.ok(grant?.kind === 'client-credentials' && grant.ok && grant.clientAuth === 'private_key_jwt', JSON.stringify(grant));
    assert.equal(readSecrets(dataDir)[OAuthStore.key('jwt', 'private-key')], privatePem);
    const keyBody = privatePem.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 20 && !readFileSync(path.join(dataDir, 'servers.json'), 'utf8').includes(keyBody));
    assert.ok(!rendererPayloads.some((payload) => payload.includes(keyBody)));
  });
});

function registeredClientId(dataDir: string, name: string): string {
  return (JSON.parse(readSecrets(dataDir)[OAuthStore.key(name, 'client')] ?? '{}') as { client_id: string }).client_id;
}

function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
