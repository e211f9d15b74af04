/**
 * Progress and Cancel, a task, and a markdown resource as a user sees them in the browser (web
 * mode, real host, the activity fixture on the v1 SDK). Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');
const ACTIVITY = path.join(FIXTURES_DIR, 'activity-server.ts');

describe('server activity in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `e2e-activity-${name}.png`) });

  before(async () => {
    const dataDir = tempDir('sluice-e2e-activity-');
    writeServersFile(dataDir, [stdioFixture('activity', ACTIVITY, { FIXTURE_LOG: tempLogFile() })]);
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(web.url);
    const card = page.getByTestId('server-activity');
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    await card.click();
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  async function runWithJson(tool: string, args: unknown) {
    const row = page.getByTestId(`tool-${tool}`);
    await row.getByRole('button', { name: 'Run' }).click();
    await row.getByRole('tab', { name: 'JSON' }).click();
    await row.getByLabel('Arguments (JSON)').fill(JSON.stringify(args));
    await row.getByRole('button', { name: 'Call tool' }).click();
    return row;
  }

  it('shows the tools with their hints, then a progress bar with the server message, and Cancel stops the call', async () => {
    const wipe = page.getByTestId('tool-wipe');
    await wipe.getByTestId('badge-destructive').waitFor();
    await wipe.getByText('Wipe everything').waitFor();
    assert.equal(await page.getByTestId('tool-slow_count').getByTestId('badge-read-only').count(), 1);
    // A remote icon is never loaded; the data: one is.
    assert.equal(await page.locator('img.safe-icon[src^="https:"]').count(), 0);
    assert.ok((await page.locator('img.safe-icon[src^="data:"]').count()) >= 1);

    const row = await runWithJson('slow_count', { steps: 200, delayMs: 100 });
    const result = row.getByTestId('tool-result');
    await result
      .getByTestId('progress-message')
      .getByText(/Step [3-9]\d* of 200/)
      .waitFor();
    assert.match(await result.getByTestId('progress-text').innerText(), /of 200/);
    assert.equal(await result.locator('progress').count(), 1);
    await shot('progress');
    await result.getByRole('button', { name: 'Cancel' }).click();
    await result.getByTestId('cancelled-note').waitFor();
    assert.match(await result.innerText(), /Cancelled\. The server was told to stop/);
    await shot('cancelled');
    await row.getByRole('button', { name: 'Close' }).click();
  });

  it('runs a task, showing its status and message until the result arrives', async () => {
    const row = await runWithJson('research', { workMs: 6000 });
    let result = row.getByTestId('tool-result');
    await result.getByTestId('task-status').getByText('working').waitFor({ timeout: 15_000 });
    // The task keeps running while the user looks elsewhere, and is still shown on return.
    await page.getByRole('button', { name: 'Requests' }).click();
    await page.getByRole('button', { name: 'Servers' }).click();
    await page.getByTestId('server-activity').click();
    result = page.getByTestId('tool-research').getByTestId('tool-result');
    await result.getByTestId('task-message').getByText('Halfway there').waitFor({ timeout: 15_000 });
    await result.scrollIntoViewIfNeeded();
    await shot('task-running');
    await result.getByText('research finished').waitFor({ timeout: 15_000 });
    await result.scrollIntoViewIfNeeded();
    await shot('task-done');
    await page.getByTestId('tool-research').getByRole('button', { name: 'Close' }).click();
    // The task stays listed in the Capabilities tab.
    await page.getByRole('tab', { name: 'Capabilities' }).click();
    await page.getByTestId('tasks-panel').getByText('completed').first().waitFor();
    await page.getByRole('tab', { name: 'Tools' }).click();
  });

  it('shows an output-schema mismatch, and opens a resource link in place', async () => {
    const bad = await runWithJson('bad_structured', {});
    await bad
      .getByTestId('schema-problem')
      .getByText(/does not match the tool's output schema/)
      .waitFor();
    await bad.getByText('Structured content (does not match the output schema)').waitFor();
    await bad.getByRole('button', { name: 'Close' }).click();

    const links = await runWithJson('links', {});
    const result = links.getByTestId('tool-result');
    await result.getByText('**Two** resources:').waitFor();
    await result.getByLabel('Render text as markdown').check();
    await result.locator('strong', { hasText: 'Two' }).waitFor();
    await result.getByRole('button', { name: 'Release notes' }).click();
    await result.getByTestId('markdown').getByRole('heading', { name: 'Release notes' }).waitFor();
    await result.scrollIntoViewIfNeeded();
    await shot('resource-link');
    await links.getByRole('button', { name: 'Close' }).click();
  });

  it('offers completions for prompt arguments as you type', async () => {
    await page.getByRole('tab', { name: 'Prompts' }).click();
    const greet = page.getByTestId('prompt-greet');
    await greet.getByLabel('language').fill('es');
    const options = greet.getByTestId('completions-language').locator('option');
    await options.nth(1).waitFor({ state: 'attached' });
    assert.deepEqual(await options.evaluateAll((nodes) => nodes.map((n) => (n as HTMLOptionElement).value)), ['esperanto', 'estonian']);
    await greet.getByLabel('language').fill('french');
    await greet.getByRole('button', { name: 'Get prompt' }).click();
    await greet.getByTestId('prompt-result').getByText('Say hello in french').waitFor();
  });

  it('renders a markdown resource without its raw HTML, and asks before opening a link', async () => {
    await page.getByRole('tab', { name: 'Resources' }).click();
    const notes = page.getByTestId('resource-activity://notes.md');
    await notes.getByRole('button', { name: 'Read' }).click();
    const markdown = notes.getByTestId('markdown');
    await markdown.getByRole('heading', { name: 'Release notes' }).waitFor();
    await markdown.getByText('<script>window.__pwned = true</script>', { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
    assert.equal(await markdown.locator('b, script').count(), 0, 'raw HTML is shown as text, not made into elements');
    await markdown.getByRole('link', { name: 'link' }).click();
    const consent = notes.getByTestId('link-consent');
    await consent.getByText('example.com').waitFor();
    assert.equal(page.url().startsWith(web.origin), true, 'the page did not navigate');
    await shot('markdown');
    await consent.getByRole('button', { name: 'Cancel' }).click();

    // A text/plain blob is decoded and shown as text.
    const blob = page.getByTestId('resource-activity://blob.txt');
    await blob.getByRole('button', { name: 'Read' }).click();
    await blob.getByText('Plain text that travelled as a base64 blob.').waitFor();
  });
});
