/**
 * In the browser, against the real web host and a real legacy server: Stop aborts the model's HTTP
 * request and keeps the partial answer; a model error is shown with Retry; the server's
 * auto-approve policy is set in the Sampling tab and then answers without a dialog; the kill
 * switch refuses requests and the Requests view offers "Resume sampling".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { LEGACY_SERVER, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { browserSkipReason, openUi, type UiSession } from '../helpers/web-mode.js';
import { eventually } from '../helpers/eventually.js';

const skip = browserSkipReason();

describe('sampling controls in the browser (web mode)', { skip }, () => {
  let llm: FakeLlm;
  let ui: UiSession;
  let page: Page;
  const log = tempLogFile();

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'one two three four five six seven eight', chunkDelayMs: 1500 } });
    const dataDir = tempDir('sluice-e2e-controls-');
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER, { FIXTURE_LOG: log })]);
    writeFakeProvider(dataDir, llm.url);
    ui = await openUi(dataDir, ['legacy']);
    ({ page } = ui);
    await page.getByRole('button', { name: /^Servers/ }).click();
    await page.getByTestId('server-legacy').click();
  });

  after(async () => {
    await ui?.close();
    await llm?.close();
  });

  async function callAskModel(prompt: string) {
    const row = page.getByTestId('tool-ask_model');
    await row.waitFor({ timeout: 20_000 });
    // Open the runner unless it is still open from the previous call.
    if ((await row.getByRole('button', { name: 'Call tool' }).count()) === 0) await row.getByRole('button', { name: 'Run' }).click();
    // The runner opens on the schema form; the raw JSON editor is one tab away.
    await row.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('Arguments (JSON)').fill(JSON.stringify({ prompt }));
    await page.getByRole('button', { name: 'Call tool' }).click();
  }

  it('Stop aborts the HTTP request and keeps the partial answer; a model error offers Retry', async () => {
    await callAskModel('Count slowly');
    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    await dialog.getByRole('button', { name: 'Approve and generate' }).click();
    await dialog.getByTestId('answer-stream').getByText('one', { exact: false }).waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Stop' }).click();
    const answer = dialog.getByLabel('Answer');
    await answer.waitFor({ timeout: 20_000 });
    await dialog.getByText('You stopped the generation: this is a partial answer.').waitFor();
    assert.match(await answer.inputValue(), /^one/);
    assert.notEqual(await answer.inputValue(), 'one two three four five six seven eight');
    await eventually('the model request to be aborted', () => llm.chatRequests().at(-1)?.aborted === true);

    llm.setReply({ status: 429 });
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await dialog.getByTestId('model-error').getByText('rate limiting requests (HTTP 429)', { exact: false }).waitFor({ timeout: 20_000 });
    llm.setReply({ text: 'Recovered answer.' });
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await dialog.getByLabel('Answer').waitFor({ timeout: 20_000 });
    assert.equal(await dialog.getByLabel('Answer').inputValue(), 'Recovered answer.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually('the server to record the answer', () => readFixtureLog(log).length > 0);
    const logged = readFixtureLog(log).at(-1);
    assert.ok(logged?.ok);
    assert.deepEqual((logged.result as { content: unknown; stopReason: string }).content, { type: 'text', text: 'Recovered answer.' });
  });

  it('auto-approve set in the Sampling tab answers without a dialog; the kill switch refuses with a fix', async () => {
    llm.setReply({ text: 'Auto-approved answer.' });
    await page.getByRole('tab', { name: 'Sampling' }).click();
    await page.getByRole('radio', { name: /Auto-approve/ }).check();
    await page.getByLabel('Max tokens (cap)').fill('25');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved.').waitFor();

    await page.getByRole('tab', { name: 'Tools' }).click();
    await callAskModel('Auto?');
    await page.getByTestId('tool-result').getByText('Auto-approved answer.', { exact: false }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('dialog', { name: /Sampling request/ }).count(), 0);
    assert.equal((llm.chatRequests().at(-1)?.body as { max_tokens: number }).max_tokens, 25);

    await page.getByTestId('pause-toggle').click();
    await page.getByTestId('pause-toggle').getByText('Sampling paused', { exact: false }).waitFor();
    await callAskModel('Paused?');
    await page.getByTestId('tool-result').getByText('Sampling is paused in Sluice', { exact: false }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: /^Requests/ }).click();
    const problems = page.getByTestId('sampling-problems');
    await problems.getByText('Sampling is paused in Sluice', { exact: false }).waitFor();
    await problems.getByRole('button', { name: 'Resume sampling' }).first().click();
    await page.getByTestId('pause-toggle').getByText('Pause sampling', { exact: true }).waitFor();
  });
});
