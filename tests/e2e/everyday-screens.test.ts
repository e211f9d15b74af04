/**
 * The first hour's screens (#11 items 12, 13, 14), in the browser against the real web-mode host:
 * the empty Servers screen offers another app's servers, the tools list searches, clamps and keeps
 * each tool's last result, toasts merge, go away and keep off the dialog's buttons, a stale
 * "Resume" goes when the pause ends, radios are radios, and badges and notes fit their places.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { FIXTURES_DIR, LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir } from '../helpers/test-host.js';
import { SCREENSHOTS, screenshotBothThemes } from '../helpers/screenshots.js';
import { browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();

const shoot = (page: Page, name: string) => screenshotBothThemes(page, `e2e-everyday-${name}`);

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  assert.ok(found, 'the element is on screen');
  return found;
}

describe('the first hour, screen by screen (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let bridge: Awaited<ReturnType<typeof openBridgeClient>>;
  const callTool = (tool: string, args: Record<string, unknown>) =>
    void bridge.invoke('servers:callTool', { name: 'legacy', tool, arguments: args }).catch(() => undefined);

  before(async () => {
    // Claude Desktop's config on this "computer" lists two servers; Sluice has none yet.
    const configHome = tempDir('sluice-e2e-xdg-');
    mkdirSync(path.join(configHome, 'Claude'), { recursive: true });
    const { name: _legacy, type: _type, ...legacy } = stdioFixture('legacy', LEGACY_SERVER);
    writeFileSync(
      path.join(configHome, 'Claude', 'claude_desktop_config.json'),
      JSON.stringify({ mcpServers: { legacy, notes: { command: 'node', args: ['--version'] } } }),
    );
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = configHome;
    try {
      web = await startWebHost(tempDir('sluice-e2e-screens-'));
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(web.url);
    bridge = await openBridgeClient(web);
  });

  after(async () => {
    bridge?.close();
    await browser?.close();
    await web?.stop();
  });

  it('the empty Servers screen offers the servers found in Claude Desktop, straight to the preview', async () => {
    const offer = page.getByTestId('import-offer');
    await offer.getByText('Found 2 servers in Claude Desktop').waitFor({ timeout: 15_000 });
    await shoot(page, 'import-offer');
    await offer.getByRole('button', { name: 'Import from Claude Desktop' }).click();
    await page.getByTestId('import-legacy').waitFor();
    await page.getByTestId('import-notes').getByLabel('Import notes').uncheck();
    await page.getByRole('button', { name: 'Import 1 server' }).click();
    const card = page.getByTestId('server-legacy');
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    assert.equal(await offer.count(), 0, 'no offer once there are servers');
  });

  it('tools: search by name or description, long descriptions clamped with "more", each tool keeps its last result', async () => {
    await page.getByTestId('server-legacy').click();
    const search = page.getByRole('searchbox', { name: 'Search tools' });
    await search.fill('timeout');
    await page.getByTestId('tool-ask_model_with_timeout').waitFor();
    assert.equal(await page.locator('.tool-item').count(), 1);
    await search.fill('unbroken line'); // words of ask_model_long's description only
    await page.getByTestId('tool-ask_model_long').waitFor();
    assert.equal(await page.locator('.tool-item').count(), 1);
    await search.fill('no such tool');
    await page.getByText('No tool matches “no such tool”.').waitFor();
    await search.fill('');

    const long = page.getByTestId('tool-ask_model_long');
    const description = long.locator('.tool-description');
    const clamped = (await box(description)).height;
    await long.getByRole('button', { name: 'more' }).click();
    assert.ok((await box(description)).height > clamped + 10, 'the whole description shows');
    await long.getByRole('button', { name: 'less' }).click();
    assert.equal(await page.getByTestId('tool-echo').getByRole('button', { name: 'more' }).count(), 0, 'a short description has no "more"');

    const echo = page.getByTestId('tool-echo');
    await echo.getByRole('button', { name: 'Run' }).click();
    await echo.getByRole('textbox', { name: 'text', exact: true }).fill('hello there');
    await echo.getByRole('button', { name: 'Call tool' }).click();
    await echo.getByTestId('tool-result').getByText('hello there').waitFor();
    // Another tool: echo's runner closes, its last result stays in view…
    await page.getByTestId('tool-ask_model_with_timeout').getByRole('button', { name: 'Run' }).click();
    assert.equal(await echo.getByTestId('tool-last-result').innerText(), 'Last result: hello there');
    await shoot(page, 'tools');
    // …and back on echo, the full result and the arguments of that call.
    await echo.getByRole('button', { name: 'Run' }).click();
    await echo.getByTestId('tool-result').getByText('hello there').waitFor();
    assert.equal(await echo.getByRole('textbox', { name: 'text', exact: true }).inputValue(), 'hello there');

    await page.getByRole('tab', { name: 'Roots' }).click();
    await page.getByText(/Saving takes effect without reconnecting/).waitFor();
    assert.equal(await page.getByText(/reconnects it/).count(), 0);
    await page.getByRole('tab', { name: 'Tools' }).click();
  });

  it('pausing: the button fits the sidebar, identical problem toasts merge, and Resume goes once the pause ends', async () => {
    const toggle = page.getByTestId('pause-toggle');
    await toggle.click();
    await toggle.getByText('Sampling paused').waitFor();
    assert.ok(await toggle.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight), 'the label fits');
    const toasts = page.getByTestId('toasts');
    // The "paused" warning goes by itself.
    await toasts.getByText('Sampling paused: every request is refused').waitFor();
    callTool('ask_model', { prompt: 'one' });
    callTool('ask_model', { prompt: 'two' });
    const problem = toasts.locator('.toast-error');
    await problem.getByTestId('toast-count').getByText('×2').waitFor({ timeout: 15_000 });
    assert.equal(await problem.count(), 1, 'one toast for two identical problems');
    await problem.getByRole('button', { name: 'Resume sampling' }).waitFor();
    await page.getByRole('button', { name: /^Requests/ }).click();
    const problems = page.getByTestId('sampling-problems');
    await problems.getByRole('button', { name: 'Resume sampling' }).first().waitFor();
    await shoot(page, 'paused');

    // Resumed from the sidebar: the offers to resume are stale, and go.
    await toggle.click();
    await toggle.getByText('Pause sampling').waitFor();
    await problem.waitFor({ state: 'detached' });
    assert.equal(await problems.getByRole('button', { name: 'Resume sampling' }).count(), 0);
    await toasts.getByText('Sampling resumed.').waitFor({ state: 'detached', timeout: 9_000 });
    await toasts.getByText('Sampling paused: every request is refused').waitFor({ state: 'detached', timeout: 9_000 });
    // With no sampling request waiting, the note is one short paragraph, not a full-height empty state.
    assert.ok((await box(page.getByTestId('requests-empty'))).height < 80);
  });

  it('toasts keep off an open dialog’s buttons; one line says what a sampling request is', async () => {
    callTool('ask_model', { prompt: 'first' });
    callTool('ask_model', { prompt: 'second' });
    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    await dialog.waitFor();
    await dialog.getByTestId('sampling-explainer').getByText('asks for a completion from a language model').waitFor();
    await page.getByText('2 waiting, oldest first').waitFor();
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    const toast = page.getByTestId('toasts').getByText('Rejected the request from legacy.');
    await toast.waitFor();
    await dialog.getByRole('button', { name: 'Approve and generate' }).waitFor(); // the second request
    await page.waitForTimeout(400); // the toasts re-measure the footer
    const footer = await box(dialog.locator('.dialog-footer'));
    const toasts = await box(page.getByTestId('toasts'));
    assert.ok(
      toasts.y + toasts.height <= footer.y,
      `the toasts (bottom ${toasts.y + toasts.height}) end above the footer (top ${footer.y})`,
    );
    await shoot(page, 'toast-over-dialog');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.getByTestId('toasts').getByTestId('toast-count').getByText('×2').waitFor();
    await toast.waitFor({ state: 'detached', timeout: 9_000 });
  });

  it('History: the "Rejected · policy" badges fit their column', async () => {
    await bridge.invoke('sampling:setPolicy', { serverName: 'legacy', policy: { policy: 'deny' } });
    callTool('ask_model', { prompt: 'denied' });
    await page.getByRole('button', { name: /^History/ }).click();
    const chip = page.locator('.history-row .chip-decision', { hasText: 'policy' }).first();
    await chip.waitFor({ timeout: 15_000 });
    const cell = await box(chip.locator('..'));
    const badge = await box(chip);
    assert.ok(badge.x + badge.width <= cell.x + cell.width + 0.5, 'the policy badge is not cut off');
    await shoot(page, 'history-badges');
    await bridge.invoke('sampling:setPolicy', { serverName: 'legacy' });
  });

  it('radio buttons in a form are radios, not text boxes', async () => {
    await bridge.invoke('servers:save', { definition: stdioFixture('asker', path.join(FIXTURES_DIR, 'elicit-legacy-server.ts')) });
    await page.getByRole('button', { name: /^Servers/ }).click();
    await page.getByTestId('server-asker').getByText('Connected').waitFor({ timeout: 30_000 });
    void bridge.invoke('servers:callTool', { name: 'asker', tool: 'ask_form', arguments: {} }).catch(() => undefined);
    const dialog = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
    await dialog.waitFor({ timeout: 15_000 });
    const radio = await box(dialog.getByLabel('green', { exact: true }));
    assert.ok(radio.width < 24 && radio.height < 24, `a radio of ${radio.width}×${radio.height}px`);
    await shoot(page, 'radios');
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await dialog.waitFor({ state: 'detached' });
  });
});
