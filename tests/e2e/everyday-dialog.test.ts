/**
 * The whole request, readable and reviewable (#11 items 6 and 7), in the browser against the real
 * web-mode host and a real stdio server: long messages grow and wrap and show their length, a
 * message opens full-size, edits are tagged and listed before approval, and a 100-message / 1 MB
 * request stays responsive (the typing latency is printed, not asserted: see bench/ for figures).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { SCREENSHOTS, screenshotBothThemes } from '../helpers/screenshots.js';
import { browserSkipReason, openUi, type BridgeClient, type UiSession } from '../helpers/web-mode.js';

const skip = browserSkipReason();

const shoot = (page: Page, name: string) => screenshotBothThemes(page, `e2e-everyday-${name}`);

describe('long sampling requests in the dialog (web mode)', { skip }, () => {
  let ui: UiSession;
  let page: Page;
  let bridge: BridgeClient;
  let llm: FakeLlm;

  before(async () => {
    // The model stops at the max tokens limit (finish_reason "length").
    llm = await startFakeLlm({ apiKey: 'sk-e2e', reply: { text: 'The answer begins, and then', finishReason: 'length' } });
    const dataDir = tempDir('sluice-e2e-long-');
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER)]);
    writeFakeProvider(dataDir, llm.url, 'sk-e2e');
    ui = await openUi(dataDir, ['legacy']);
    ({ page, bridge } = ui);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await ui?.close();
    await llm?.close();
  });

  it('an answer that stopped at the max tokens limit says it is cut off', async () => {
    void bridge
      .invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: 'Tell me everything', maxTokens: 8 } })
      .catch(() => undefined);
    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Approve and generate' }).click();
    await dialog.getByLabel('Answer', { exact: true }).waitFor({ timeout: 20_000 });
    assert.equal(await dialog.getByTestId('stop-reason').innerText(), 'maxTokens');
    const note = dialog.getByTestId('cut-off');
    await note.getByText('cut off').waitFor();
    assert.match(await note.innerText(), /stopped at the max tokens limit/);
    assert.equal(await dialog.locator('.answer-panel').getByTestId('text-length').innerText(), '27 characters · ≈ 7 tokens');
    await shoot(page, 'answer-cut-off');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('a 5,000-character message grows, wraps, shows its length, expands; edits are tagged and listed', async () => {
    const prompt = `Summarise this: ${'a'.repeat(3000)} ${'word '.repeat(400)}`.slice(0, 5_000);
    assert.equal(prompt.length, 5_000);
    void bridge.invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt } }).catch(() => undefined);
    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    await dialog.waitFor();
    const message = dialog.getByLabel('Message 1 (user)', { exact: true });
    assert.equal(await message.inputValue(), prompt);

    // Taller than the old two-line box, but bounded (it scrolls past most of the dialog's height).
    const box = await message.evaluate((el) => ({
      height: el.clientHeight,
      scroll: el.scrollHeight,
      width: el.clientWidth,
      scrollWidth: el.scrollWidth,
    }));
    assert.ok(box.height > 200, `the box grew with its content (${box.height}px)`);
    assert.ok(box.height <= 860 * 0.6 + 2, `and stops growing at 60% of the window (${box.height}px)`);
    assert.ok(box.scrollWidth <= box.width, 'the 3,000-character word wraps instead of scrolling sideways');
    const card = dialog.getByTestId('message-1');
    assert.equal(await card.getByTestId('text-length').innerText(), '5,000 characters · ≈ 1,250 tokens');
    assert.equal(await card.locator('.edited-tag').count(), 0, 'not edited yet');
    assert.equal(await dialog.getByTestId('show-changes').count(), 0, 'nothing to show yet');
    await shoot(page, 'long-message');

    // Expand: the message over the whole dialog; Esc closes the large editor, not the dialog.
    await card.getByRole('button', { name: 'Expand' }).click();
    const expanded = dialog.getByRole('group', { name: 'Message 1 (user), expanded' });
    await expanded.waitFor();
    const big = expanded.getByLabel('Message 1 (user)', { exact: true });
    assert.ok((await big.evaluate((el) => el.clientHeight)) > 600, 'the large editor fills the dialog');
    await big.press('Control+Home');
    await big.pressSequentially('Please ');
    assert.equal(await card.getByTestId('text-length').innerText(), '5,007 characters · ≈ 1,252 tokens');
    await shoot(page, 'message-expanded');
    await page.keyboard.press('Escape');
    await expanded.waitFor({ state: 'detached' });
    await dialog.waitFor();
    assert.ok((await message.inputValue()).startsWith('Please Summarise this:'));

    // The edit is tagged, as an edited parameter is; "Show changes" lists every edit.
    assert.match(await card.locator('.message-head').innerText(), /edited/i);
    await dialog.getByLabel('Max tokens').fill('64');
    await dialog.getByTestId('show-changes').click();
    const changes = dialog.getByTestId('draft-changes');
    await changes.waitFor();
    assert.equal(await dialog.getByTestId('show-changes').innerText(), 'Hide changes');
    const text = await changes.innerText();
    assert.match(text, /Max tokens\s+- 200\s+\+ 64/);
    assert.match(text, /Message 1 \(user\)\s+- Summarise this: a+/);
    assert.match(text, /\+ Please Summarise this: a+/);
    await shoot(page, 'show-changes');

    // An added message is listed as added.
    await dialog.getByRole('button', { name: 'Add message' }).click();
    await dialog.getByLabel('Message 2 (assistant)', { exact: true }).fill('An added answer');
    await changes.getByText('Message 2 (assistant) (added by you)').waitFor();
    assert.match(await dialog.getByTestId('message-2').locator('.message-head').innerText(), /added/i);

    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('a request of 100 messages and 1 MB opens, wraps and takes typing', async () => {
    void bridge
      .invoke('servers:callTool', { name: 'legacy', tool: 'ask_model_long', arguments: { count: 100, chars: 10_000 } })
      .catch(() => undefined);
    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    const opened = Date.now();
    await dialog.waitFor({ timeout: 30_000 });
    const last = dialog.getByLabel('Message 100 (assistant)', { exact: true });
    await last.waitFor();
    console.log(`# 1 MB request: dialog shown ${Date.now() - opened} ms after it was asked for`);
    assert.equal((await last.inputValue()).length, 10_000);
    // The unbroken 10,000-character "word" of message 5 wraps.
    const fifth = dialog.getByLabel('Message 5 (user)', { exact: true });
    assert.ok(await fifth.evaluate((el) => el.scrollWidth <= el.clientWidth));

    // Typing latency: from each key press to the frame after React rendered it.
    await page.evaluate(() => {
      const w = window as unknown as { latencies: number[] };
      w.latencies = [];
      document.addEventListener(
        'keydown',
        () => {
          const start = performance.now();
          requestAnimationFrame(() => setTimeout(() => w.latencies.push(performance.now() - start), 0));
        },
        true,
      );
    });
    const first = dialog.getByLabel('Message 1 (user)', { exact: true });
    await first.click();
    await first.press('Control+End');
    await page.waitForTimeout(200); // the Ctrl+End key press's own measurement lands first
    await page.evaluate(() => ((window as unknown as { latencies: number[] }).latencies = []));
    await first.pressSequentially(' typed at the end', { delay: 30 });
    assert.ok((await first.inputValue()).endsWith(' typed at the end'), 'every key landed');
    const latencies = (await page.evaluate(() => (window as unknown as { latencies: number[] }).latencies)).sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] ?? NaN;
    console.log(
      `# typing latency in a 1 MB request: median ${median.toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms over ${latencies.length} keys`,
    );
    assert.equal(latencies.length, ' typed at the end'.length);
    await dialog.getByTestId('message-1').locator('.edited-tag').waitFor();
    await shoot(page, 'long-request');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  });
});
