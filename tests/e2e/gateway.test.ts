/**
 * The gateway as a user meets it, in web mode: the "Connect apps" view (a token created and shown
 * once, the connected app listed), and an app's tool call through the gateway whose server asks
 * for a completion: the real dialog names the app and the call, and the app gets the answer.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('Connect apps and a gateway sampling request in the browser (web mode)', { skip }, () => {
  let llm: FakeLlm;
  let web: WebHost;
  let browser: Browser;
  let page: Page;

  before(async () => {
    llm = await startFakeLlm({ apiKey: 'sk-e2e', reply: { text: 'Answered in Sluice.' } });
    const dataDir = tempDir('sluice-e2e-gateway-');
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER)]);
    writeFakeProvider(dataDir, llm.url, 'sk-e2e');
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    // A page of its own context: axe-core's Playwright runner needs one.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await llm?.close();
  });

  it('creates a token, an app connects with it, and its sampling request is answered in the dialog', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: /^Connect apps/ }).click();
    await page.getByTestId('gateway-state').getByText('Listening').waitFor();
    const gatewayUrl = /MCP gateway for your other apps: (\S+)/.exec(web.output())?.[1];
    assert.ok(gatewayUrl, 'web mode prints the gateway URL');
    await page.getByLabel('New token for').fill('Work laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('fresh-token').textContent())?.trim() ?? '';
    assert.match(token, /^sluice_/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-token.png'), fullPage: true });

    const client = new Client({ name: 'Claude Code', version: '2.1.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    try {
      await page.getByRole('cell', { name: 'Claude Code' }).waitFor();
      await page.getByText('Done').click();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-connected.png'), fullPage: true });

      // As an app does: list the tools (the server may still be connecting when the app comes), then call one.
      await eventually('legacy__ask_model in the gateway tools/list', async () =>
        (await client.listTools()).tools.some((tool) => tool.name === 'legacy__ask_model'),
      );
      const call = client.callTool({ name: 'legacy__ask_model', arguments: { prompt: 'Asked from Claude Code' } });
      const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
      await dialog.waitFor({ timeout: 20_000 });
      assert.equal(await dialog.getByTestId('calling-app').textContent(), 'Claude Code 2.1.0');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-dialog.png') });
      await dialog.getByRole('button', { name: 'Approve and generate' }).click();
      await dialog.getByLabel('Answer').waitFor({ timeout: 20_000 });
      await dialog.getByRole('button', { name: 'Send' }).click();
      const result = (await call) as { content: Array<{ type: string; text: string }> };
      assert.deepEqual((JSON.parse(result.content[0]!.text) as { content: unknown }).content, {
        type: 'text',
        text: 'Answered in Sluice.',
      });
      // The server's gateway settings, and the preview of adding Sluice to an app (not written: the home is the real one).
      await page.getByRole('button', { name: /^Servers/ }).click();
      await page.getByTestId('server-legacy').click();
      await page.getByRole('tab', { name: 'Gateway' }).click();
      await page.getByLabel(/Exposed through the gateway/).waitFor();
      assert.equal(await page.getByLabel(/Exposed through the gateway/).isChecked(), true);

      // Pass-through, chosen here: an app that declared sampling answers itself, and the call's history entry says so.
      const passThrough = page.getByRole('radio', { name: /The calling app, for what it supports/ });
      // A controlled radio: it shows the choice once the host saved it.
      await passThrough.click();
      await eventually('the pass-through choice saved', () => passThrough.isChecked());
      assert.match(
        (await page.getByRole('group', { name: /Who answers what it asks/ }).getAttribute('aria-describedby')) ?? '',
        /^answer-help-/,
      );
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-server.png') });
      const audit = await new AxeBuilder({ page })
        .include('section[aria-label="Gateway"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      assert.deepEqual(
        audit.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
        [],
        'the Gateway tab passes axe (labels, contrast of the explanation)',
      );
      const vscode = new Client({ name: 'Visual Studio Code', version: '1.99.0' }, { capabilities: { sampling: {} } });
      vscode.setRequestHandler(CreateMessageRequestSchema, () => ({
        model: 'vscode-model',
        role: 'assistant',
        content: { type: 'text', text: 'Answered by VS Code.' },
      }));
      await vscode.connect(
        new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
      );
      try {
        const passed = (await vscode.callTool({ name: 'legacy__ask_model', arguments: { prompt: 'Asked from VS Code' } })) as {
          content: Array<{ type: string; text: string }>;
        };
        assert.deepEqual((JSON.parse(passed.content[0]!.text) as { content: unknown }).content, {
          type: 'text',
          text: 'Answered by VS Code.',
        });
      } finally {
        await vscode.close();
      }
      await page.getByRole('button', { name: /^History/ }).click();
      const calls = page.getByRole('table', { name: 'History entries' }).getByRole('row').filter({ hasText: 'ask_model' });
      await eventually('both tool calls in the history', async () => (await calls.count()) === 2);
      await calls.first().click();
      const answered = page.getByTestId('answered-by-app');
      await answered.waitFor();
      assert.equal(await answered.textContent(), 'Completion (sampling): answered (vscode-model)');
      await page.getByText('Server requests answered by Visual Studio Code (pass-through)').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-passthrough-history.png') });
      await page.getByRole('button', { name: /^Connect apps/ }).click();
      await page.getByRole('button', { name: 'Add Sluice to Claude Desktop…' }).click();
      await page.getByRole('region', { name: "Changes to Claude Desktop's config" }).waitFor();
      await page.getByRole('region', { name: "Changes to Claude Desktop's config" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-gateway-preview.png') });
    } finally {
      await client.close();
    }
  });
});
