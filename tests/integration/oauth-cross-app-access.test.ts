/**
 * Enterprise-managed authorization (SEP-990, the server's OAuth option `cross_app_access`) against
 * a loopback identity provider (tests/fixtures/idp-server.ts) and the MCP server's authorization
 * server (tests/fixtures/oauth-server.ts): the stored ID token is exchanged at the IdP for an
 * ID-JAG, which the authorization server takes as a JWT bearer grant; the tool call carries the
 * access token. No browser is involved.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { OAuthSettings } from '../../shared/domain.js';
import { SluiceHost } from '../../electron/core/host.js';
import { OAuthStore } from '../../electron/core/auth/oauth-store.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { startIdpServer, type IdpServer } from '../fixtures/idp-server.js';
import { startOAuthServer, type OAuthServer } from '../fixtures/oauth-server.js';
import { readSecrets, waitFor } from '../helpers/server-status.js';
import { tempDir, textOf } from '../helpers/test-host.js';

interface Setup {
  host: SluiceHost;
  idp: IdpServer;
  oauth: OAuthServer;
  dataDir: string;
  browserOpened: string[];
  rendererPayloads: string[];
}

let current: Setup | undefined;

afterEach(async () => {
  await current?.host.close();
  await current?.oauth.close();
  await current?.idp.close();
  current = undefined;
});

async function setup(): Promise<Setup> {
  const idp = await startIdpServer({ clientId: 'sluice-at-idp', clientSecret: 'idp-s3cret', mcpClientId: 'sluice-at-mcp' });
  const oauth = await startOAuthServer({
    disableRegistration: true,
    crossAppAccess: {
      idpIssuer: idp.issuer,
      idpPublicKeyPem: idp.publicKeyPem,
      clients: [{ client_id: 'sluice-at-mcp', client_secret: 'mcp-s3cret' }],
    },
  });
  const dataDir = tempDir('sluice-xaa-');
  const browserOpened: string[] = [];
  const host = await SluiceHost.start({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    mode: 'desktop',
    openExternal: async (url) => {
      browserOpened.push(url);
    },
  });
  const rendererPayloads: string[] = [];
  host.events.on('servers:changed', (statuses) => rendererPayloads.push(JSON.stringify(statuses)));
  current = { host, idp, oauth, dataDir, browserOpened, rendererPayloads };
  return current;
}

function enterprise(idp: IdpServer, withTokenEndpoint = true): OAuthSettings {
  return {
    clientId: 'sluice-at-mcp',
    grant: 'cross_app_access',
    idp: { issuer: idp.issuer, clientId: 'sluice-at-idp', ...(withTokenEndpoint ? { tokenEndpoint: idp.tokenEndpoint } : {}) },
  };
}

describe('OAuth: enterprise-managed authorization (SEP-990 cross-app access)', () => {
  it('exchanges the stored ID token for an ID-JAG at the IdP, gets a token with the JWT bearer grant, and the tool call carries it; no browser', async () => {
    const { host, idp, oauth, dataDir, browserOpened, rendererPayloads } = await setup();
    const idToken = await idp.idToken('alice');
    await host.invoke('servers:save', {
      definition: { name: 'corp', type: 'http', url: oauth.mcpUrl, oauth: enterprise(idp) },
      clientSecret: 'mcp-s3cret',
      idpClientSecret: 'idp-s3cret',
      idpIdToken: idToken,
    });
    await waitFor(host, 'corp', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected');
    assert.equal(textOf(await host.invoke('servers:callTool', { name: 'corp', tool: 'echo', arguments: { text: 'hi' } })), 'echo: hi');

    // RFC 8693 at the IdP: the ID token, for the authorization server's issuer and the MCP resource.
    assert.equal(idp.exchanges.length, 1, JSON.stringify(idp.exchanges));
    const [exchange] = idp.exchanges;
    assert.ok(exchange?.ok, exchange?.error);
    assert.equal(exchange.subjectToken, idToken);
    assert.equal(exchange.clientId, 'sluice-at-idp');
    assert.match(exchange.audience ?? '', new RegExp(`^${oauth.origin}/?$`));
    assert.equal(exchange.resource, oauth.mcpUrl);
    // RFC 7523 at the authorization server: the grant accepted, for alice, from the Basic-authenticated client.
    assert.deepEqual(
      oauth.events.filter((e) => e.kind === 'jwt-bearer'),
      [{ kind: 'jwt-bearer', clientId: 'sluice-at-mcp', basicAuth: true, ok: true, subject: 'alice' }],
    );
    assert.equal(
      oauth.count('mcp', (e) => e.kind === 'mcp' && e.authorized && e.method === 'tools/call'),
      1,
    );
    assert.deepEqual(browserOpened, [], 'no browser');

    // The secrets stay in the secret store: not in servers.json, never sent to the renderer.
    const secrets = readSecrets(dataDir);
    assert.equal(secrets[OAuthStore.key('corp', 'idp-id-token')], idToken);
    assert.equal(secrets[OAuthStore.key('corp', 'idp-client-secret')], 'idp-s3cret');
    const serversJson = readFileSync(path.join(dataDir, 'servers.json'), 'utf8');
    for (const secret of [idToken, 'idp-s3cret', 'mcp-s3cret']) {
      assert.ok(!serversJson.includes(secret), `servers.json holds ${secret.slice(0, 12)}`);
      assert.ok(!rendererPayloads.some((payload) => payload.includes(secret)), `the renderer got ${secret.slice(0, 12)}`);
    }
  });

  it("finds the IdP's token endpoint from its issuer metadata when none is set", async () => {
    const { host, idp, oauth } = await setup();
    await host.invoke('servers:save', {
      definition: { name: 'corp', type: 'http', url: oauth.mcpUrl, oauth: enterprise(idp, false) },
      clientSecret: 'mcp-s3cret',
      idpClientSecret: 'idp-s3cret',
      idpIdToken: await idp.idToken(),
    });
    await waitFor(host, 'corp', (st) => st.state === 'connected', 'connected');
    assert.equal(idp.exchanges.filter((e) => e.ok).length, 1);
  });

  it('an expired ID token: a clear error naming the identity provider, no grant sent; a new ID token connects', async () => {
    const { host, idp, oauth } = await setup();
    const definition = { name: 'corp', type: 'http' as const, url: oauth.mcpUrl, oauth: enterprise(idp) };
    await host.invoke('servers:save', {
      definition,
      clientSecret: 'mcp-s3cret',
      idpClientSecret: 'idp-s3cret',
      idpIdToken: await idp.idToken('bob', -120),
    });
    const failed = await waitFor(host, 'corp', (st) => st.state === 'error', 'an error');
    assert.match(failed.error ?? '', /identity provider/);
    assert.match(failed.error ?? '', /ID token/);
    assert.equal(oauth.count('jwt-bearer'), 0, 'nothing reached the authorization server');

    // The user pastes a fresh ID token (the rest of the settings untouched).
    await host.invoke('servers:save', { definition, previousName: 'corp', idpIdToken: await idp.idToken('bob') });
    await waitFor(host, 'corp', (st) => st.state === 'connected' && st.auth?.state === 'signed-in', 'connected');
    assert.equal(
      oauth.count('jwt-bearer', (e) => e.kind === 'jwt-bearer' && e.ok && e.subject === 'bob'),
      1,
    );
  });

  it('the wrong IdP client secret is refused at the IdP, and the message says so', async () => {
    const { host, idp, oauth } = await setup();
    await host.invoke('servers:save', {
      definition: { name: 'corp', type: 'http', url: oauth.mcpUrl, oauth: enterprise(idp) },
      clientSecret: 'mcp-s3cret',
      idpClientSecret: 'not-it',
      idpIdToken: await idp.idToken(),
    });
    const failed = await waitFor(host, 'corp', (st) => st.state === 'error', 'an error');
    assert.match(failed.error ?? '', /identity provider.*invalid_client/);
    assert.equal(oauth.count('jwt-bearer'), 0);
  });
});
