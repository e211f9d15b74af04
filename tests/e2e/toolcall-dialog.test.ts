/**
 * End to end, as a user: web mode serving the real UI, a real SDK client as the calling app
 * connected to the gateway, a real stdio fixture server behind it. The app calls a tool the policy
 * asks about, the dialog shows it, the user edits an argument in the form and approves, and the
 * app's result carries the edit; then the History shows the call under the App and Tool filters.
 * Edits survive Later: edited, put aside with Esc, reopened from the Requests view (form and JSON
 * tab), approved, and the server receives the edited arguments.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Locator, Page } from 'playwright-core';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { stdioFixture, tempDir, textOf, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('gateway tool call in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let app: Client;
  const log = tempLogFile('sluice-e2e-toolcall-');

  before(async () => {
    const dataDir = tempDir('sluice-e2e-toolcall-');
    writeServersFile(dataDir, [stdioFixture('notes', path.join(FIXTURES_DIR, 'toolcalls-server.ts'), { FIXTURE_LOG: log })]);
    // The web-mode helper runs the gateway on a free port (--gateway-port 0); web mode prints where.
    web = await startWebHost(dataDir);
    let gatewayUrl: string | undefined;
    for (let tries = 0; !gatewayUrl && tries < 100; tries++) {
      gatewayUrl = /MCP gateway for your other apps: (\S+)/.exec(web.output())?.[1];
      if (!gatewayUrl) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(gatewayUrl, 'web mode prints the gateway URL');
    const bridge = await openBridgeClient(web);
    const { token } = (await bridge.invoke('gateway:createToken', { label: 'E2E laptop' })) as { token: string };
    await bridge.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'ask-unless-read-only' });
    bridge.close();
    app = new Client({ name: 'claude-code', version: '2.1.0' });
    await app.connect(
      new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  /** Approves as edited: the app's result says what was written, and the server received exactly `sent`. */
  async function approveEdited(dialog: Locator, call: Promise<unknown>, sent: { name: string; text: string; copies?: number }) {
    await dialog.getByRole('button', { name: 'Approve with my changes' }).click();
    const result = (await call) as { content: Array<{ type: string; text?: string }>; isError?: boolean };
    assert.equal(textOf(result), `wrote ${sent.name}: ${sent.text}`);
    const received = readFixtureLog(log)
      .filter((line) => line.tool === 'write_note')
      .at(-1);
    assert.deepEqual(received?.ok && received.result, sent);
    await dialog.waitFor({ state: 'detached' });
  }

  after(async () => {
    await app?.close();
    await browser?.close();
    await web?.stop();
  });

  it('the app calls a tool, the user edits an argument in the dialog and approves, the app gets the edited call', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: /^Servers/ }).waitFor();
    // The server may still be connecting when the app calls: wait until the gateway lists its tools.
    for (let i = 0; i < 100 && !(await app.listTools()).tools.some((tool) => tool.name === 'notes__write_note'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const call = app.callTool({ name: 'notes__write_note', arguments: { name: 'groceries', text: 'milk, eggs' } });

    const dialog = page.getByRole('dialog', { name: /^claude-code wants to run write_note on notes$/ });
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByText('wants to run').waitFor();
    assert.match((await dialog.textContent()) ?? '', /E2E laptop/);
    assert.match((await dialog.textContent()) ?? '', /Writes a note/);
    await dialog.getByText('destructive', { exact: true }).waitFor();
    await dialog.getByText("This server's setting asks before this tool.").waitFor();

    const text = dialog.getByLabel(/^text/);
    assert.equal(await text.inputValue(), 'milk, eggs');
    await text.fill('milk, eggs, bread');
    await dialog.getByTestId('toolcall-edit-list').getByText('text: "milk, eggs" → "milk, eggs, bread"').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toolcall-dialog.png') });

    await approveEdited(dialog, call, { name: 'groceries', text: 'milk, eggs, bread' });
  });

  it('History shows the call under the App and Tool filters, with the edit', async () => {
    // A read-only call that the preset lets through, so there is something to filter out.
    await app.callTool({ name: 'notes__read_note', arguments: { name: 'groceries' } });
    await page.getByRole('button', { name: /^History/ }).click();
    await page.getByLabel('App').selectOption({ label: 'claude-code (E2E laptop)' });
    await page.getByLabel('Tool').selectOption({ label: 'write_note' });
    await page
      .getByTestId('history-count')
      .getByText(/^1 of 2$/)
      .waitFor();
    const row = page.locator('.history-item-toolcall');
    assert.equal(await row.count(), 1);
    // The row opens the call in the detail pane, loaded from the host's database.
    await row.click();
    await page.getByTestId('history-detail').getByTestId('toolcall-edits').getByText('text: "milk, eggs" → "milk, eggs, bread"').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toolcall-history.png') });
  });

  it('edits survive Later: Esc, reopen from the Requests view, the edit is there, approve sends it', async () => {
    const call = app.callTool({ name: 'notes__write_note', arguments: { name: 'todo', text: 'call Ada' } });
    const dialog = page.getByRole('dialog', { name: /^claude-code wants to run write_note on notes$/ });
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByLabel(/^text/).fill('call Ada and Grace');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const reopen = async () => {
      await page.getByRole('button', { name: /^Requests/ }).click();
      await page.getByRole('region', { name: 'Tool calls from your apps' }).getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor();
    };
    await reopen();
    assert.equal(await dialog.getByLabel(/^text/).inputValue(), 'call Ada and Grace', 'the form edit is still there');
    await dialog.getByTestId('toolcall-edit-list').getByText('text: "call Ada" → "call Ada and Grace"').waitFor();

    // The JSON tab, and what is typed there, survive Later too (and another view in between).
    await dialog.getByRole('tab', { name: 'JSON' }).click();
    const json = dialog.getByLabel('Arguments (JSON)');
    await json.fill(JSON.stringify({ name: 'todo', text: 'call Ada and Grace', copies: 2 }, null, 2));
    await dialog.getByRole('button', { name: 'Later' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Servers/ }).click();
    await reopen();
    assert.equal(await dialog.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected'), 'true');
    assert.deepEqual(JSON.parse(await dialog.getByLabel('Arguments (JSON)').inputValue()), {
      name: 'todo',
      text: 'call Ada and Grace',
      copies: 2,
    });
    await dialog.getByTestId('toolcall-edit-list').getByText('copies: added 2').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'toolcall-dialog-reopened.png') });

    await approveEdited(dialog, call, { name: 'todo', text: 'call Ada and Grace', copies: 2 });
  });
});
