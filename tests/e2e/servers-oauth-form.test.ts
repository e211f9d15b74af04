/**
 * OAuth settings in the server form, end to end (web mode, real host, a real OAuth-protected MCP
 * server): a bad redirect port is refused with a message; an HTTP server added with a static client
 * ID, secret and scopes lands in servers.json without the secret, which goes to the secret store;
 * the card says "Sign-in required" (not an error) next to the Sign in button; editing the server
 * shows its settings, never the secret, and saving keeps both. The app-wide client ID metadata
 * document URL, set in the same section: an http address is refused, an https one is saved for
 * the whole app (auth-settings.json). Enterprise-managed sign-in: the identity provider fields are
 * checked, then the server connects through a loopback IdP with the pasted ID token, which (like
 * both secrets) only the secret store keeps.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startIdpServer, type IdpServer } from '../fixtures/idp-server.js';
import { startOAuthServer, type OAuthServer } from '../fixtures/oauth-server.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');
const CLIENT_ID = 'sluice-static-e2e';
const CLIENT_SECRET = 'cs-e2e-do-not-leak';
const URL_SAVED = 'https://sluice.example/oauth/client-metadata.json';

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('OAuth settings in the server form (web mode)', { skip }, () => {
  let oauth: OAuthServer;
  let idp: IdpServer | undefined;
  let enterpriseOAuth: OAuthServer | undefined;
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  before(async () => {
    oauth = await startOAuthServer({
      disableRegistration: true,
      staticClients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: ['http://127.0.0.1/callback'] }],
    });
    dataDir = tempDir('sluice-e2e-oauth-form-');
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await oauth?.close();
    await enterpriseOAuth?.close();
    await idp?.close();
  });

  it('adds an HTTP server with a client ID and secret; the secret goes to the secret store only', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name').fill('protected');
    await page.getByLabel('Type').selectOption('http');
    await page.getByLabel('URL').fill(oauth.mcpUrl);
    await page.getByText('Sign-in (OAuth)').click();
    await page.getByLabel('OAuth client ID').fill(CLIENT_ID);
    const secret = page.getByLabel('OAuth client secret');
    assert.equal(await secret.getAttribute('type'), 'password', 'the secret is masked');
    await secret.fill(CLIENT_SECRET);
    await page.getByLabel('OAuth scopes').fill('mcp  profile');
    // A privileged port is refused, with a message at the field; nothing is saved.
    await page.getByLabel('Redirect port').fill('80');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The redirect port must be a whole number from 1024 to 65535.').waitFor();
    assert.equal(await page.getByLabel('Redirect port').getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-oauth-form.png'), fullPage: true });
    assert.equal(await page.getByRole('heading', { name: 'Add server' }).count(), 1, 'the form stays open');

    await page.getByLabel('Redirect port').fill('');
    await page.getByRole('button', { name: 'Save' }).click();

    // Not connected only because nobody signed in: said plainly, next to the Sign in button.
    const card = page.getByTestId('server-protected');
    const status = card.getByTestId('server-status');
    await status.getByText('Sign-in required').waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await status.innerText(), /Error/);
    assert.doesNotMatch((await status.getAttribute('class')) ?? '', /status-error/);
    await card.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-oauth-signin-required.png') });

    const saved = (readJson(path.join(dataDir, 'servers.json')).mcpServers as Record<string, Record<string, unknown>>).protected;
    assert.deepEqual(saved?.oauth, { clientId: CLIENT_ID, scopes: ['mcp', 'profile'] });
    assert.doesNotMatch(readFileSync(path.join(dataDir, 'servers.json'), 'utf8'), new RegExp(CLIENT_SECRET), 'no secret in servers.json');
    const secrets = readJson(path.join(dataDir, 'secrets.web.json'));
    const secretKeys = Object.keys(secrets).filter((key) => secrets[key] === CLIENT_SECRET);
    assert.equal(secretKeys.length, 1, 'the secret is in the secret store once');
    assert.match(secretKeys[0] ?? '', /^oauth:protected:/);
  });

  it('editing shows the settings but never the secret, and saving keeps both', async () => {
    const card = page.getByTestId('server-protected');
    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit protected' }).waitFor();
    assert.equal(await page.getByLabel('OAuth client ID').inputValue(), CLIENT_ID, 'the section is open with the stored client ID');
    assert.equal(await page.getByLabel('OAuth scopes').inputValue(), 'mcp profile');
    assert.equal(await page.getByLabel('OAuth client secret').inputValue(), '', 'the secret is never sent to the page');
    assert.doesNotMatch(await page.content(), new RegExp(CLIENT_SECRET));
    await page.getByLabel('Redirect port').fill('38123');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Edit protected' }).waitFor({ state: 'detached' });

    const saved = (readJson(path.join(dataDir, 'servers.json')).mcpServers as Record<string, Record<string, unknown>>).protected;
    assert.deepEqual(saved?.oauth, { clientId: CLIENT_ID, scopes: ['mcp', 'profile'], redirectPort: 38123 });
    const secrets = readJson(path.join(dataDir, 'secrets.web.json'));
    assert.ok(
      Object.entries(secrets).some(([key, value]) => key.startsWith('oauth:protected:') && value === CLIENT_SECRET),
      'a blank secret field kept the stored secret',
    );
  });

  it('the app-wide client metadata URL: refuses an http address, saves an https one for the whole app', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Type').selectOption('http');
    await page.getByText('Sign-in (OAuth)').click();
    const section = page.getByTestId('app-client-metadata');
    await section.getByText('App-wide default:').click();
    const field = section.getByLabel('App-wide client ID metadata document');

    await field.fill('http://sluice.example/client.json');
    await section.getByRole('button', { name: 'Set app-wide default' }).click();
    await section.getByRole('alert').getByText('The client metadata URL must be an https:// address with a path.').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(existsSync(path.join(dataDir, 'auth-settings.json')), false, 'nothing saved');

    await field.fill(URL_SAVED);
    // Enter sets the default and does not save the (incomplete) server form around it.
    await field.press('Enter');
    await section
      .getByRole('status')
      .getByText(/Saved: servers without their own use it/)
      .waitFor();
    await section.locator('summary code').getByText(URL_SAVED).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Add server' }).count(), 1, 'the server form stays open');
    const saved = await eventually('auth-settings.json', () =>
      existsSync(path.join(dataDir, 'auth-settings.json'))
        ? (JSON.parse(readFileSync(path.join(dataDir, 'auth-settings.json'), 'utf8')) as unknown)
        : undefined,
    );
    assert.deepEqual(saved, { clientMetadataUrl: URL_SAVED });
    await page.getByText('Sign-in (OAuth)').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'oauth-app-default.png'), fullPage: true });

    // The next visit to the form shows it as the default.
    await page.reload();
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Type').selectOption('http');
    await page.getByText('Sign-in (OAuth)').click();
    await page.getByTestId('app-client-metadata').locator('summary code').getByText(URL_SAVED).waitFor();
  });

  it('enterprise-managed sign-in: the identity provider fields are checked, then the server connects with the pasted ID token', async () => {
    idp = await startIdpServer({ clientId: 'sluice-at-idp', mcpClientId: 'sluice-at-mcp' });
    enterpriseOAuth = await startOAuthServer({
      disableRegistration: true,
      crossAppAccess: {
        idpIssuer: idp.issuer,
        idpPublicKeyPem: idp.publicKeyPem,
        clients: [{ client_id: 'sluice-at-mcp', client_secret: 'xaa-e2e-secret' }],
      },
    });
    const idToken = await idp.idToken('e2e-user');
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name').fill('corp');
    await page.getByLabel('Type').selectOption('http');
    await page.getByLabel('URL').fill(enterpriseOAuth.mcpUrl);
    // (The previous test may have left the section open in this same page.)
    if ((await page.locator('details.oauth-fields').getAttribute('open')) === null) await page.getByText('Sign-in (OAuth)').click();
    await page.getByLabel('Sign in as').selectOption('cross_app_access');
    assert.equal(await page.getByLabel('Redirect port').count(), 0, 'no browser, no redirect port');
    await page.getByLabel('OAuth client ID').fill('sluice-at-mcp');
    await page.getByLabel('OAuth client secret').fill('xaa-e2e-secret');
    await page.getByLabel('Identity provider issuer').fill('login.example.com');
    await page.getByLabel('ID token').fill('not a token');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText("Enter the identity provider's issuer URL (https://…).").waitFor();
    await page.getByText('Enter the client ID Sluice has at the identity provider.').waitFor();
    await page.getByText(/Paste the ID token itself/).waitFor();
    assert.equal(await page.getByLabel('Identity provider issuer').getAttribute('aria-invalid'), 'true');
    await page.getByText('Sign-in (OAuth)').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-oauth-enterprise-errors.png'), fullPage: true });
    assert.equal(await page.getByRole('heading', { name: 'Add server' }).count(), 1, 'nothing saved');

    await page.getByLabel('Identity provider issuer').fill(idp.issuer);
    await page.getByLabel('Identity provider token endpoint').fill(idp.tokenEndpoint);
    await page.getByLabel('Client ID at the identity provider').fill('sluice-at-idp');
    await page.getByLabel('ID token').fill(idToken);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-oauth-enterprise.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();

    const card = page.getByTestId('server-corp');
    await card.getByTestId('server-status').getByText('Connected').waitFor({ timeout: 30_000 });
    assert.equal(idp.exchanges.filter((e) => e.ok && e.subjectToken === idToken).length, 1, 'the pasted ID token was exchanged at the IdP');
    assert.equal(
      enterpriseOAuth.count('jwt-bearer', (e) => e.kind === 'jwt-bearer' && e.ok && e.subject === 'e2e-user'),
      1,
    );
    const saved = (readJson(path.join(dataDir, 'servers.json')).mcpServers as Record<string, Record<string, unknown>>).corp;
    assert.deepEqual(saved?.oauth, {
      clientId: 'sluice-at-mcp',
      grant: 'cross_app_access',
      idp: { issuer: idp.issuer, tokenEndpoint: idp.tokenEndpoint, clientId: 'sluice-at-idp' },
    });
    const serversJson = readFileSync(path.join(dataDir, 'servers.json'), 'utf8');
    assert.ok(!serversJson.includes(idToken) && !serversJson.includes('xaa-e2e-secret'), 'no ID token or secret in servers.json');
    const secrets = readJson(path.join(dataDir, 'secrets.web.json'));
    assert.equal(secrets['oauth:corp:idp-id-token'], idToken);

    // Editing shows the identity provider settings, never the ID token.
    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit corp' }).waitFor();
    assert.equal(await page.getByLabel('Identity provider issuer').inputValue(), idp.issuer);
    assert.equal(await page.getByLabel('ID token').inputValue(), '');
    assert.doesNotMatch(await page.content(), new RegExp(idToken.split('.')[1] ?? 'x'));
  });
});
