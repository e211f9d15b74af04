/**
 * End to end, as a user: web mode serving the real UI against the real core, a real legacy MCP
 * server over stdio, a fake OpenAI-compatible model. Trigger the sampling tool from the tool
 * runner, edit a message and max tokens in the dialog, approve, watch the answer, edit it, send;
 * then check what the model endpoint and the server actually received.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { LEGACY_SERVER, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('sampling approval in the browser (web mode)', { skip }, () => {
  let llm: FakeLlm;
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  const log = tempLogFile();

  before(async () => {
    llm = await startFakeLlm({ apiKey: 'sk-e2e', reply: { text: 'MCP connects models to tools.', chunkDelayMs: 40 } });
    const dataDir = tempDir('sluice-e2e-');
    // Configure Sluice the way a user's files would: one server, one provider with a key.
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER, { FIXTURE_LOG: log })]);
    writeFakeProvider(dataDir, llm.url, 'sk-e2e');
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await llm?.close();
  });

  it('edit, approve, stream, edit the answer, send', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: /^Servers/ }).click();
    const card = page.getByTestId('server-legacy');
    await card.getByText('Connected').waitFor({ timeout: 20_000 });
    await card.click();
    const toolRow = page.getByTestId('tool-ask_model');
    await toolRow.getByRole('button', { name: 'Run' }).click();
    // The runner opens on the schema form; the raw JSON editor is one tab away.
    await toolRow.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('Arguments (JSON)').fill(JSON.stringify({ prompt: 'What is MCP?' }));
    await page.getByRole('button', { name: 'Call tool' }).click();

    const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
    await dialog.waitFor();
    await dialog.getByText('pushed by server').waitFor();
    const message = dialog.getByLabel('Message 1 (user)');
    assert.equal(await message.inputValue(), 'What is MCP?');
    await message.fill('What is MCP, in five words?');
    await dialog.getByLabel('Max tokens').fill('64');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-sampling-dialog.png') });

    await dialog.getByRole('button', { name: 'Approve and generate' }).click();
    const answer = dialog.getByLabel('Answer');
    await answer.waitFor({ timeout: 20_000 });
    assert.equal(await answer.inputValue(), 'MCP connects models to tools.');
    await answer.fill('MCP: models meet tools.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-sampling-answer.png') });
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'detached' });

    const result = page.getByTestId('tool-result');
    await result.getByText('MCP: models meet tools.', { exact: false }).waitFor();

    // What the model endpoint received: the user's edits.
    const [chat] = llm.chatRequests();
    const body = chat?.body as { max_tokens: number; model: string; messages: Array<{ role: string; content: unknown }> };
    assert.equal(body.max_tokens, 64);
    assert.equal(body.model, 'gpt-test');
    assert.match(JSON.stringify(body.messages.at(-1)?.content), /What is MCP, in five words\?/);
    // What the server received: the answer as the user edited it.
    const logged = readFixtureLog(log).at(-1);
    assert.ok(logged?.ok);
    assert.deepEqual((logged.result as { content: unknown }).content, { type: 'text', text: 'MCP: models meet tools.' });

    await page.getByRole('button', { name: /^History/ }).click();
    await page.locator('.history-item').first().click();
    await page.getByTestId('history-detail').getByText('maxTokens: 200 → 64').first().waitFor();
  });
});
