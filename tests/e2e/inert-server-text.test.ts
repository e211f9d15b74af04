/**
 * Server-supplied text is untrusted: HTML and script in a sampling request must show up as the
 * literal characters, and nothing in it may run or load.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES_DIR } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>';

describe('untrusted server text in the browser', { skip: browserSkipReason() }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  const requestsSeen: string[] = [];

  before(async () => {
    const dataDir = tempDir('sluice-e2e-inert-');
    writeServersFile(dataDir, [stdioFixture('chaos', path.join(FIXTURES_DIR, 'chaos-server.ts'))]);
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('request', (request) => requestsSeen.push(request.url()));
  });
  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('shows HTML and script from a server as inert text', async () => {
    await page.goto(web.url);
    await page.getByTestId('server-chaos').getByText('Connected').waitFor({ timeout: 30_000 });
    const bridge = await openBridgeClient(web);
    const call = bridge.invoke('servers:callTool', {
      name: 'chaos',
      tool: 'raw_sampling',
      arguments: {
        params: JSON.stringify({
          maxTokens: 10,
          systemPrompt: PAYLOAD,
          metadata: { note: PAYLOAD },
          messages: [{ role: 'user', content: { type: 'text', text: PAYLOAD } }],
        }),
      },
    });
    const dialog = page.getByRole('dialog', { name: 'Sampling request from chaos' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Message 1 (user)').inputValue(), PAYLOAD);
    assert.equal(await dialog.getByLabel('System prompt').inputValue(), PAYLOAD);
    // The read-only metadata shows the literal markup as text.
    assert.match((await dialog.textContent()) ?? '', /<img src=x onerror=/);
    assert.equal(await dialog.locator('img[src="x"], b, script').count(), 0, 'no element was created from server text');
    mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'e2e-inert-text.png') });
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok(!requestsSeen.some((url) => url.endsWith('/x')), 'the page never tried to load the injected image');

    await dialog.getByRole('button', { name: 'Reject' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    const result = (await call) as { content: Array<{ text: string }> };
    assert.match(result.content[0]?.text ?? '', /^SAMPLING_ERROR -1 User rejected sampling request/);
    bridge.close();
  });
});
