/**
 * Two server tabs as a user sets them, in web mode, checked where it counts: the server or the
 * calling app. Roots: a folder added in the Roots tab is what the server's own `roots/list` gets
 * back, and a path that does not exist is refused in words. Tool calls: a tool's rule set to Deny
 * in the Tool calls tab makes an app's call through the gateway come back refused, and the rule
 * chooser stays readable in a 1280 px window.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Page } from 'playwright-core';
import { FIXTURES_DIR, LEGACY_SERVER } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { browserSkipReason, openUi, type BridgeClient, type UiSession, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((block) => block.text ?? '').join('');
}

describe('server tabs: roots and tool-call rules (web mode)', { skip }, () => {
  let ui: UiSession;
  let web: WebHost;
  let page: Page;
  let dataDir: string;
  let bridge: BridgeClient;

  before(async () => {
    dataDir = tempDir('sluice-e2e-tabs-');
    writeServersFile(dataDir, [
      stdioFixture('rooted', path.join(FIXTURES_DIR, 'elicit-legacy-server.ts')),
      stdioFixture('legacy', LEGACY_SERVER),
    ]);
    ui = await openUi(dataDir);
    ({ web, page, bridge } = ui);
  });
  after(() => ui?.close());

  async function openTab(server: string, tab: string): Promise<void> {
    await page.getByRole('button', { name: 'Servers' }).first().click();
    await page
      .getByRole('button', { name: new RegExp(`^${server}`) })
      .first()
      .click();
    await page.getByRole('tab', { name: tab }).click();
  }

  it("a folder added in the Roots tab is what the server's roots/list returns; a missing path is refused", async () => {
    await openTab('rooted', 'Roots');
    await page.getByLabel('Folder path to add to folders for rooted').fill(dataDir);
    await page.getByRole('button', { name: 'Add folder' }).first().click();
    await page.getByText(dataDir, { exact: true }).first().waitFor();
    const listed = await eventually('the server lists the new root', async () => {
      // (The server may still be starting: its call then fails, and the probe tries again.)
      const result = await bridge.invoke('servers:callTool', { name: 'rooted', tool: 'list_roots', arguments: {} }).catch(() => undefined);
      const text = textOf(result ?? {});
      return text.includes(pathToFileURL(dataDir).href) ? text : undefined;
    });
    assert.match(listed, /file:\/\//);

    await page.getByLabel('Folder path to add to folders for every server').fill('/nope/not/here');
    await page.getByRole('button', { name: 'Add folder' }).nth(1).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /No such folder/ })
      .first()
      .waitFor();
  });

  it('a tool set to Deny in the Tool calls tab is refused to an app calling it through the gateway', async () => {
    const gatewayUrl = await eventually('the gateway URL', () => /MCP gateway for your other apps: (\S+)/.exec(web.output())?.[1]);
    const { token } = (await bridge.invoke('gateway:createToken', { label: 'e2e' })) as { token: string };
    const app = new Client({ name: 'claude-code', version: '1.0.0' });
    await app.connect(
      new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    try {
      await eventually('the app sees legacy__echo', async () => (await app.listTools()).tools.some((tool) => tool.name === 'legacy__echo'));
      const before = await app.callTool({ name: 'legacy__echo', arguments: { text: 'hello' } });
      assert.notEqual(before.isError, true, 'allowed before the rule');

      await openTab('legacy', 'Tool calls');
      const rule = page.getByLabel('Rule for echo');
      await rule.waitFor();
      const width = (await rule.boundingBox())?.width ?? 0;
      assert.ok(width >= 120, `the rule chooser is readable (${width} px wide)`);
      await rule.selectOption('deny');
      await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[aria-label="Rule for echo"]')?.value === 'deny');

      const after = await eventually('the rule reaches the gate', async () => {
        const result = await app.callTool({ name: 'legacy__echo', arguments: { text: 'hello' } });
        return result.isError === true ? result : undefined;
      });
      assert.match(textOf(after), /do not allow/);
    } finally {
      await app.close();
    }
  });
});
