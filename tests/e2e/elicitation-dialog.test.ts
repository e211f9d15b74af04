/**
 * End to end, as a user: web mode serving the real UI against the real core and a real 2025-era
 * MCP server (v1 SDK) that elicits. Fill the form, see validation, accept, and check what the
 * server received; then a URL-mode request: the URL is shown with its host highlighted, and
 * Accept opens it in a new tab only then; then a tool call answered -32042 (URL elicitation
 * required): the page's consent dialog, and once the step is done, "Retry the call" runs it.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_ELICIT_URL, EVERY_FIELD_ANSWER } from '../fixtures/elicit-common.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('elicitation in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const log = tempLogFile();

  before(async () => {
    const dataDir = tempDir('sluice-e2e-elicit-');
    writeServersFile(dataDir, [stdioFixture('asker', path.join(FIXTURES_DIR, 'elicit-legacy-server.ts'), { FIXTURE_LOG: log })]);
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The URL test must never reach the network: any request to the elicited host is answered here.
    await context.route('https://accounts.example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Example sign-in</title>ok' }),
    );
    page = await context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  async function runTool(tool: string, args?: Record<string, unknown>) {
    await page.getByRole('button', { name: /^Servers/ }).click();
    const card = page.getByTestId('server-asker');
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    await card.click();
    await page.getByTestId(`tool-${tool}`).getByRole('button', { name: 'Run' }).click();
    if (args) {
      // The runner may offer a form for the arguments; JSON says exactly what we send.
      const jsonTab = page.getByRole('tab', { name: 'JSON' });
      if (await jsonTab.isVisible()) await jsonTab.click();
      await page.getByLabel('Arguments (JSON)').fill(JSON.stringify(args));
    }
    await page.getByRole('button', { name: 'Call tool' }).click();
  }

  it('fill the form, fix what validation flags, accept: the server receives the values', async () => {
    await page.goto(web.url);
    await runTool('ask_form');

    const dialog = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByText('Tell us about your order').waitFor();
    // Every enum option is visible, titled options by their titles; defaults are prefilled.
    for (const option of [
      'red',
      'green',
      'blue',
      'Small',
      'Medium',
      'Large',
      'cheese',
      'ham',
      'olives',
      'Monday',
      'Tuesday',
      'Wednesday',
    ]) {
      assert.ok(await dialog.getByLabel(option, { exact: true }).isVisible(), `option ${option} is visible`);
    }
    assert.equal(await dialog.getByLabel('green', { exact: true }).isChecked(), true);
    assert.equal(await dialog.getByLabel('Monday', { exact: true }).isChecked(), true);
    assert.equal(await dialog.getByLabel('Rating', { exact: true }).inputValue(), '2.5');

    // Accept with required fields missing and a bad value: the messages say what is wrong, nothing is sent.
    await dialog.getByLabel('Full name', { exact: true }).fill('A');
    await dialog.getByLabel('Age', { exact: true }).fill('12');
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.getByText('At least 2 characters').waitFor();
    await dialog.getByText('Must be at least 18').waitFor();
    assert.ok((await dialog.getByText('Required').count()) >= 2, 'email and toppings are flagged as required');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-elicitation-validation.png') });

    await dialog.getByLabel('Full name', { exact: true }).fill('Ada Lovelace');
    await dialog.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await dialog.getByLabel('Website', { exact: true }).fill('https://ada.example.com/');
    await dialog.getByLabel('Birthday', { exact: true }).fill('1815-12-10');
    await dialog.getByLabel('Age', { exact: true }).fill('36');
    await dialog.getByLabel('Rating', { exact: true }).fill('4.5');
    await dialog.getByLabel('Subscribe to news', { exact: true }).check();
    await dialog.getByLabel('blue', { exact: true }).check();
    await dialog.getByLabel('Medium', { exact: true }).check();
    await dialog.getByLabel('cheese', { exact: true }).check();
    await dialog.getByLabel('olives', { exact: true }).check();
    await dialog.getByLabel('Wednesday', { exact: true }).check();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-elicitation-form.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('tool-result').getByText('"action":"accept"', { exact: false }).waitFor();
    const logged = readFixtureLog(log)
      .filter((e) => e.tool === 'ask_form')
      .at(-1);
    assert.ok(logged?.ok);
    assert.deepEqual((logged.result as { content: unknown }).content, EVERY_FIELD_ANSWER);
  });

  it('URL mode: the host is highlighted, nothing opens before Accept, Accept opens a new tab', async () => {
    await runTool('ask_url', { url: 'https://accounts.example.com/connect?flow=e2e' });
    const dialog = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
    await dialog.waitFor({ timeout: 30_000 });
    assert.equal(await dialog.getByTestId('elicitation-url').textContent(), 'https://accounts.example.com/connect?flow=e2e');
    assert.equal(await dialog.getByTestId('elicitation-host').textContent(), 'accounts.example.com');
    assert.equal(context.pages().length, 1, 'nothing was opened before consent');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-elicitation-url.png') });

    const popup = context.waitForEvent('page', { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Accept' }).click();
    const tab = await popup;
    await tab.waitForLoadState();
    assert.equal(tab.url(), 'https://accounts.example.com/connect?flow=e2e');
    // noopener: the new tab cannot reach back into Sluice.
    assert.equal(await tab.evaluate(() => window.opener === null), true);
    await tab.close();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('tool-result').getByText('"action":"accept"', { exact: false }).waitFor();

    // Answered, the request waits for the server to confirm, for a bounded time; the user can dismiss it.
    await page.getByRole('button', { name: /^Requests/ }).click();
    const waiting = page.getByText('Waiting for asker to confirm');
    await waiting.waitFor();
    await page.getByText(/Sluice stops waiting in \d+:\d\d/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-elicitation-url-waiting.png') });
    await page.getByRole('button', { name: 'Dismiss the page opened for asker' }).click();
    await waiting.waitFor({ state: 'detached' });
  });

  it('-32042 URL elicitation required: the page in the error is shown, then a retry the user presses runs the call', async () => {
    await runTool('needs_url');
    const dialog = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
    await dialog.waitFor({ timeout: 30_000 });
    assert.equal(await dialog.getByTestId('elicitation-url').textContent(), DEFAULT_ELICIT_URL);
    const popup = context.waitForEvent('page', { timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await (await popup).close();

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
    assert.match(
      (await offer.textContent()) ?? '',
      /asker needed you to open a page first \(Connect your account first\)\. You completed it, so the call did not run yet\./,
    );
    assert.match((await offer.textContent()) ?? '', /accounts\.example\.com\/connect/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'url-elicitation-retry.png') });

    await offer.getByRole('button', { name: 'Retry the call' }).click();
    // Only a call that reaches the server again gets this answer.
    await result.getByText('the account is connected').waitFor({ timeout: 30_000 });
    assert.equal(await result.getByTestId('url-step-retry').count(), 0);
  });
});
