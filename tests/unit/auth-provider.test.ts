/**
 * The OAuth provider's decisions (no browser unless the user asked; dead tokens dropped; static
 * clients; registrations redone for another port), the secret-store layout, and the refresh gate.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/client';
import { SignInRequiredError, isSignInRequired } from '../../electron/core/auth/errors.js';
import {
  SIGN_IN_EXPIRED,
  SIGN_IN_NEEDED,
  SIGN_IN_NO_METADATA,
  SluiceOAuthProvider,
  type ProviderContext,
  type ProviderMode,
} from '../../electron/core/auth/oauth-provider.js';
import { OAuthStore } from '../../electron/core/auth/oauth-store.js';
import { RefreshGate } from '../../electron/core/auth/refresh-gate.js';
import { boundedScope, isScopeSubset } from '../../electron/core/auth/scopes.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { tempDir } from '../helpers/test-host.js';

const URL_A = 'https://mcp.example/mcp';
const DISCOVERED: OAuthDiscoveryState = {
  authorizationServerUrl: 'https://as.example',
  authorizationServerMetadata: {
    issuer: 'https://as.example',
    authorization_endpoint: 'https://as.example/authorize',
    token_endpoint: 'https://as.example/token',
    response_types_supported: ['code'],
  },
};

function fixture(options: { settings?: ProviderContext['settings']; discovered?: boolean } = {}) {
  const secrets = new FileSecretStore(path.join(tempDir('sluice-auth-unit-'), 'secrets.json'));
  const store = new OAuthStore(secrets);
  const signIns: string[] = [];
  const context: ProviderContext = {
    serverName: 'remote',
    serverUrl: URL_A,
    settings: options.settings,
    store,
    discovery: { state: options.discovered === false ? undefined : DISCOVERED },
    refreshGate: new RefreshGate(),
    events: { tokensRead: () => undefined, tokensSaved: () => undefined, signInRequired: (message) => signIns.push(message) },
  };
  const provider = (mode: ProviderMode = { kind: 'passive' }) => new SluiceOAuthProvider(context, mode);
  return { secrets, store, signIns, provider };
}

const TOKENS = { access_token: 'at-1', token_type: 'Bearer', refresh_token: 'rt-1' };

describe('OAuth provider (passive: the connection)', () => {
  it('never starts a sign-in by itself: no registration, no state, a SignInRequiredError instead', async () => {
    const { provider, signIns } = fixture();
    const passive = provider();
    await assert.rejects(
      passive.clientInformation(),
      (error: unknown) => error instanceof SignInRequiredError && error.message === SIGN_IN_NEEDED,
    );
    await assert.rejects(passive.state(), SignInRequiredError);
    await assert.rejects(passive.redirectToAuthorization(new URL('https://as.example/authorize')), SignInRequiredError);
    assert.deepEqual(signIns, [SIGN_IN_NEEDED, SIGN_IN_NEEDED, SIGN_IN_NEEDED]);
    assert.ok(isSignInRequired(new SignInRequiredError('remote', 'x')));
    assert.ok(isSignInRequired({ cause: new SignInRequiredError('remote', 'x') }));
    assert.ok(!isSignInRequired(new Error('ECONNREFUSED')));
  });

  it('a 401 from a server that publishes no OAuth metadata says a header may be wanted, and offers Sign in (2025-03-26 default endpoints)', async () => {
    const { provider, signIns } = fixture({ discovered: false });
    await assert.rejects(
      provider().clientInformation(),
      (error: unknown) => error instanceof SignInRequiredError && error.message === SIGN_IN_NO_METADATA,
    );
    assert.deepEqual(signIns, [SIGN_IN_NO_METADATA]);
    assert.match(SIGN_IN_NO_METADATA, /header/);
  });

  it('tokens that stopped working are dropped and the message says they expired', async () => {
    const { provider, store } = fixture();
    await store.saveClient('remote', { client_id: 'dyn-1' });
    await store.saveTokens('remote', URL_A, TOKENS);
    const passive = provider();
    assert.equal((await passive.tokens())?.access_token, 'at-1');
    await assert.rejects(passive.state(), (error: unknown) => error instanceof Error && error.message === SIGN_IN_EXPIRED);
    assert.equal(await store.tokens('remote', URL_A), undefined);
  });

  it('after the SDK invalidated refused tokens, the message also says expired', async () => {
    const { provider, store } = fixture();
    await store.saveClient('remote', { client_id: 'dyn-1' });
    const passive = provider();
    await passive.invalidateCredentials('tokens');
    await assert.rejects(passive.state(), (error: unknown) => error instanceof Error && error.message === SIGN_IN_EXPIRED);
  });
});

describe('OAuth provider (clients)', () => {
  it('a static client ID comes from the settings with its stored secret, and is never stored as a registration', async () => {
    const { provider, store } = fixture({ settings: { clientId: 'static-id', redirectPort: 8765 } });
    await store.setClientSecret('remote', 'shh');
    const passive = provider();
    assert.deepEqual(await passive.clientInformation({ issuer: 'https://as.example' }), {
      client_id: 'static-id',
      client_secret: 'shh',
      issuer: 'https://as.example',
    });
    await passive.saveClientInformation({ client_id: 'static-id', issuer: 'https://as.example' });
    assert.equal(await store.client('remote'), undefined);
    assert.equal(passive.redirectUrl, 'http://127.0.0.1:8765/callback');
  });

  it('interactive: a registration made for another loopback port is redone; the same port reuses it', async () => {
    const { provider, store } = fixture();
    await store.saveClient('remote', { client_id: 'dyn-1', redirect_uris: ['http://127.0.0.1:5000/callback'] });
    const mode = (port: number): ProviderMode => ({
      kind: 'interactive',
      redirectUrl: `http://127.0.0.1:${port}/callback`,
      state: 's',
      openAuthorizationPage: async () => undefined,
    });
    assert.equal(await provider(mode(5001)).clientInformation(), undefined);
    assert.equal((await provider(mode(5000)).clientInformation())?.client_id, 'dyn-1');
    const metadata = provider(mode(5000)).clientMetadata;
    assert.deepEqual(metadata.redirect_uris, ['http://127.0.0.1:5000/callback']);
    assert.equal(metadata.token_endpoint_auth_method, 'none');
    assert.equal(await provider(mode(5000)).state(), 's');
  });
});

describe('OAuth store', () => {
  it('tokens are bound to the URL they were issued for', async () => {
    const { store } = fixture();
    await store.saveTokens('remote', URL_A, TOKENS);
    assert.equal((await store.tokens('remote', URL_A))?.access_token, 'at-1');
    assert.equal(await store.tokens('remote', 'https://other.example/mcp'), undefined);
  });

  it('rename moves everything, forget removes everything, a damaged value reads as absent', async () => {
    const { store, secrets } = fixture();
    await store.saveTokens('old', URL_A, TOKENS);
    await store.saveClient('old', { client_id: 'dyn-1' });
    await store.setClientSecret('old', 'shh');
    await store.rename('old', 'new');
    assert.equal(await store.client('old'), undefined);
    assert.equal((await store.client('new'))?.client_id, 'dyn-1');
    assert.equal(await store.clientSecret('new'), 'shh');
    await store.forget('new');
    for (const part of ['tokens', 'client', 'client-secret'] as const)
      assert.equal(await secrets.get(OAuthStore.key('new', part)), undefined);
    await secrets.set(OAuthStore.key('x', 'tokens'), '{not json');
    assert.equal(await store.tokens('x', URL_A), undefined);
  });
});

describe('refresh gate', () => {
  it('lets one refresh run at a time', async () => {
    const gate = new RefreshGate();
    const order: string[] = [];
    await gate.enter();
    const second = gate.enter().then(() => order.push('second entered'));
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first leaves');
    gate.leave();
    await second;
    assert.deepEqual(order, ['first leaves', 'second entered']);
    gate.leave();
  });
});

describe('challenge scopes (server text, bounded)', () => {
  it('keeps only valid RFC 6749 scope tokens, deduplicated, at most 32 of at most 200 characters', () => {
    assert.equal(boundedScope('mcp:read  mcp:read mcp:write'), 'mcp:read mcp:write');
    assert.equal(boundedScope('ok "quoted" back\\slash <tag>'), 'ok <tag>');
    assert.equal(boundedScope(''), undefined);
    assert.equal(boundedScope(undefined), undefined);
    assert.equal(boundedScope(`${'x'.repeat(201)} fine`), 'fine');
    const many = Array.from({ length: 100 }, (_, i) => `s${i}`).join(' ');
    assert.equal(boundedScope(many)?.split(' ').length, 32);
    assert.equal(boundedScope('a'.repeat(10_000_000))?.length ?? 0, 0, 'a huge header is cut before it is split');
    assert.ok(isScopeSubset('a b', 'b c a'));
    assert.ok(!isScopeSubset('a d', 'a b'));
  });
});
