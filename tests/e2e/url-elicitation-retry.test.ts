/**
 * #15 item 6 as a user meets it (web mode, real host, a real stdio server): a tool call answered
 * `-32042` (URL elicitation required) shows the URL consent dialog for the page in the error; once
 * the user has been there and the server reports the step done, the tool runner says the call did
 * not run and offers "Retry the call"; pressing it runs the call, which now succeeds.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_ELICIT_URL } from '../fixtures/elicit-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('URL elicitation required (-32042) in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const log = tempLogFile();

  before(async () => {
    const dataDir = tempDir('sluice-e2e-url-retry-');
    writeServersFile(dataDir, [stdioFixture('asker', path.join(FIXTURES_DIR, 'elicit-legacy-server.ts'), { FIXTURE_LOG: log })]);
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Never the network: the page the server names is answered here.
    await context.route('https://accounts.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Example sign-in</title>ok' }));
    page = await context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('shows the page the error names, then offers a retry that runs the call', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: /^Servers/ }).click();
    const card = page.getByTestId('server-asker');
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    await card.click();
    await page.getByTestId('tool-needs_url').getByRole('button', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Call tool' }).click();

    const dialog = page.getByRole('dialog', { name: 'Elicitation request from asker' });
    await dialog.waitFor({ timeout: 30_000 });
    assert.equal(await dialog.getByTestId('elicitation-url').textContent(), DEFAULT_ELICIT_URL);
    const popup = context.waitForEvent('page', { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Accept' }).click();
    const tab = await popup;
    await tab.close();

    // The server hears the step is done (here through its complete_url tool, as its web page would).
    const bridge = await openBridgeClient(web);
    try {
      await bridge.invoke('servers:callTool', { name: 'asker', tool: 'complete_url', arguments: {} });
    } finally {
      bridge.close();
    }

    const result = page.getByTestId('tool-result');
    const offer = result.getByTestId('url-step-retry');
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await offer.textContent() ?? '', /asker needed you to open a page first \(Connect your account first\)\. You completed it, so the call did not run yet\./);
    assert.match(await offer.textContent() ?? '', /accounts\.example\.com\/connect/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'url-elicitation-retry.png') });

    await offer.getByRole('button', { name: 'Retry the call' }).click();
    // Only a call that reaches the server again gets this answer.
    await result.getByText('the account is connected').waitFor({ timeout: 30_000 });
    assert.equal(await result.getByTestId('url-step-retry').count(), 0);
  });
});
