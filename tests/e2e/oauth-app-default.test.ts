/**
 * The app-wide Client ID Metadata Document URL in the UI (web mode, real host): in the server
 * form's "Sign-in (OAuth)" section the user sets the default every server without its own uses;
 * an http address is refused at the field and nothing is saved; an https one lands in
 * auth-settings.json and is shown as the default.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');
const URL_SAVED = 'https://sluice.example/oauth/client-metadata.json';

describe('app-wide client metadata URL (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  before(async () => {
    dataDir = tempDir('sluice-e2e-oauth-default-');
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('refuses an http address, saves an https one for the whole app', async () => {
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
    await section.getByRole('status').getByText(/Saved: servers without their own use it/).waitFor();
    await section.locator('summary code').getByText(URL_SAVED).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Add server' }).count(), 1, 'the server form stays open');
    const saved = await eventually('auth-settings.json', () =>
      existsSync(path.join(dataDir, 'auth-settings.json')) ? (JSON.parse(readFileSync(path.join(dataDir, 'auth-settings.json'), 'utf8')) as unknown) : undefined,
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
});
