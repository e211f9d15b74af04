/**
 * Signing in to a remote server, as a user in the browser (web mode, real host, a real
 * OAuth-protected MCP server on loopback that approves without a login page): the card says
 * "Not signed in" and nothing is opened until Sign in is pressed; Sign in opens the authorization
 * page in a new tab, which comes back to Sluice; the badge then says "Signed in", the server
 * connects and its tool runs with the token. Sign out revokes the tokens at the server and the
 * badge says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startOAuthServer, type OAuthServer } from '../fixtures/oauth-server.js';
import { eventually } from '../helpers/eventually.js';
import { screenshotBothThemes } from '../helpers/screenshots.js';
import { tempDir, writeServersFile } from '../helpers/test-host.js';
import { browserSkipReason, openUi, type BridgeClient, type UiSession } from '../helpers/web-mode.js';

const skip = browserSkipReason();

describe('signing in to a remote server (web mode)', { skip }, () => {
  let oauth: OAuthServer;
  let ui: UiSession;
  let page: Page;
  let bridge: BridgeClient;

  before(async () => {
    oauth = await startOAuthServer();
    const dataDir = tempDir('sluice-e2e-signin-');
    writeServersFile(dataDir, [{ name: 'protected', type: 'http', url: oauth.mcpUrl }]);
    ui = await openUi(dataDir);
    ({ page, bridge } = ui);
  });
  after(async () => {
    await ui?.close();
    await oauth?.close();
  });

  it('Sign in opens the sign-in page in a new tab; back in Sluice the badge says Signed in and the server connects; Sign out revokes', async () => {
    const card = page.getByTestId('server-protected');
    const badge = card.getByTestId('signin-badge');
    await badge.getByText('Not signed in').waitFor({ timeout: 30_000 });
    assert.equal(oauth.count('authorize'), 0, 'nothing opened before the user asked');

    const opened = page.context().waitForEvent('page');
    await badge.getByRole('button', { name: 'Sign in' }).click();
    const signInTab = await opened;
    await signInTab.waitForLoadState();
    assert.equal(oauth.count('authorize'), 1, 'the new tab went to the authorization server');
    // The authorization server sent the tab back to Sluice's loopback redirect, which says it is done.
    await signInTab.getByText('You are signed in to protected. You can close this tab and go back to Sluice.').waitFor();
    await signInTab.close();

    await badge.getByText('Signed in').waitFor({ timeout: 30_000 });
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    await screenshotBothThemes(page, 'e2e-signed-in');
    const echoed = (await bridge.invoke('servers:callTool', { name: 'protected', tool: 'echo', arguments: { text: 'with a token' } })) as {
      content: Array<{ text?: string }>;
    };
    assert.match(echoed.content.map((block) => block.text ?? '').join(''), /with a token/);

    await badge.getByRole('button', { name: 'Sign out' }).click();
    await badge.getByText('Not signed in').waitFor({ timeout: 30_000 });
    await eventually('the tokens revoked at the server', () => oauth.count('revoke') > 0);
  });
});
