/**
 * The one request queue in the browser (web mode, real host, two real legacy servers, a fake
 * model API): a request put aside with Later stays aside when another server asks, and each
 * request keeps the tool call that caused it (issue 11, item 4); the dialog holds the keyboard:
 * Tab stays inside, Esc returns focus to where it was, the answer takes focus when it arrives so
 * Ctrl+Enter sends it, and the shortcuts are shown on their buttons (item 11).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { SCREENSHOTS } from '../helpers/screenshots.js';
import { browserSkipReason, openUi, type BridgeClient, type UiSession } from '../helpers/web-mode.js';

const skip = browserSkipReason();

describe('the request queue and the dialog keyboard in the browser (web mode)', { skip }, () => {
  let llm: FakeLlm;
  let ui: UiSession;
  let page: Page;
  let bridge: BridgeClient;

  const ask = (server: string, prompt: string) =>
    void bridge.invoke('servers:callTool', { name: server, tool: 'ask_model', arguments: { prompt } }).catch(() => undefined);
  /** Where keyboard focus is: inside the open dialog, or the focused control's accessible text. */
  const focusInDialog = () => page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
  const rejectAllPending = async () => {
    for (const pending of (await bridge.invoke('sampling:list', {})) as Array<{ id: string }>) {
      await bridge.invoke('sampling:reject', { id: pending.id }).catch(() => undefined);
    }
  };

  before(async () => {
    llm = await startFakeLlm({
      apiKey: 'sk-e2e',
      reply: { text: 'A short answer from the model, streamed in small pieces.', chunkDelayMs: 60 },
    });
    const dataDir = tempDir('sluice-e2e-queue-');
    writeServersFile(dataDir, [stdioFixture('alpha', LEGACY_SERVER), stdioFixture('beta', LEGACY_SERVER)]);
    writeFakeProvider(dataDir, llm.url, 'sk-e2e');
    ui = await openUi(dataDir, ['alpha', 'beta']);
    ({ page, bridge } = ui);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await ui?.close();
    await llm?.close();
  });

  it('Later keeps a request aside when another server asks; every request names its tool call', async () => {
    const alpha = page.getByRole('dialog', { name: 'Sampling request from alpha' });
    const beta = page.getByRole('dialog', { name: 'Sampling request from beta' });
    ask('alpha', 'first from alpha');
    await alpha.waitFor();
    await alpha.getByRole('button', { name: 'Later' }).click();
    await alpha.waitFor({ state: 'detached' });

    ask('beta', 'from beta');
    await beta.waitFor();
    assert.equal(await alpha.count(), 0, 'the request put aside stays aside');
    await beta.getByText('Caused by tool call').waitFor();

    // A second request from alpha, while its first one waits aside.
    ask('alpha', 'second from alpha');
    await page.getByTestId('requests-badge').getByText('3').waitFor();
    await beta.getByRole('button', { name: 'Reject', exact: true }).click();
    await alpha.waitFor();
    assert.equal(await alpha.getByLabel('Message 1 (user)').inputValue(), 'second from alpha', 'the new request, not the one put aside');
    const cause = alpha.locator('.meta-item', { hasText: 'Caused by tool call' });
    assert.match(await cause.innerText(), /ask_model\(\{"prompt":"second from alpha"\}\)/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-queue-second-request.png') });

    await alpha.getByRole('button', { name: 'Reject', exact: true }).click();
    await alpha.waitFor({ state: 'detached' });
    await page.getByTestId('requests-badge').getByText('1').waitFor();
    // The put-aside one is still there, in the Requests view, with its own cause.
    await page.getByRole('button', { name: /^Requests/ }).click();
    await page.getByText('first from alpha').waitFor();
    await rejectAllPending();
    await page.getByTestId('requests-badge').waitFor({ state: 'detached' });
  });

  it('focus stays in the dialog, Esc gives it back, the answer takes it and Ctrl+Enter sends', async () => {
    const dialog = page.getByRole('dialog', { name: 'Sampling request from alpha' });
    ask('alpha', 'Keyboard only, please');
    await dialog.waitFor();
    assert.ok(await focusInDialog(), 'the dialog takes focus');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Open it from the Requests view with the keyboard.
    await page.getByRole('button', { name: /^Requests/ }).click();
    const open = page.getByRole('button', { name: 'Open', exact: true });
    await open.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.ok(await focusInDialog(), 'the dialog takes focus');
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInDialog(), `Tab ${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await focusInDialog(), `Shift+Tab ${i + 1} stays in the dialog`);
    }

    // The shortcuts are shown on their buttons (and announced by them).
    const approve = dialog.getByRole('button', { name: 'Approve and generate' });
    assert.equal(await approve.getAttribute('aria-keyshortcuts'), 'Control+Enter');
    assert.match(await approve.innerText(), /Ctrl\+Enter/);
    assert.match(await dialog.getByRole('button', { name: 'Later' }).innerText(), /Esc/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-queue-dialog-shortcuts.png') });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.ok(await open.evaluate((el) => el === document.activeElement), 'Esc returns focus to the Open button');

    // Again: Ctrl+Enter approves, the answer takes focus when it arrives, Ctrl+Enter sends it.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Control+Enter');
    const answer = dialog.getByLabel('Answer');
    await answer.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => document.activeElement?.classList.contains('answer-text'), undefined, { timeout: 5_000 });
    assert.equal(await answer.inputValue(), 'A short answer from the model, streamed in small pieces.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-queue-answer-focused.png') });
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Answer sent to alpha.').waitFor();
    assert.equal(((await bridge.invoke('sampling:list', {})) as unknown[]).length, 0);
  });
});
