/**
 * Per-app exposure as a user sets it, in web mode: two app tokens, a real SDK client connected
 * with each, two stdio fixture servers behind the gateway. In "Connect apps" → "What each app
 * sees" the user hides a tool from one token (found with the search) and a whole server from the
 * other; each client's tools/list changes accordingly, and only its own.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES_DIR, LEGACY_SERVER } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

describe('per-app exposure in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let laptop: Client;
  let cursor: Client;
  let cursorHeardListChanged = 0;

  before(async () => {
    const dataDir = tempDir('sluice-e2e-exposure-');
    writeServersFile(dataDir, [
      stdioFixture('notes', path.join(FIXTURES_DIR, 'toolcalls-server.ts')),
      stdioFixture('legacy', LEGACY_SERVER),
    ]);
    web = await startWebHost(dataDir);
    const gatewayUrl = await eventually(
      'web mode prints the gateway URL',
      () => /MCP gateway for your other apps: (\S+)/.exec(web.output())?.[1],
    );
    const bridge = await openBridgeClient(web);
    const connect = async (label: string, name: string) => {
      const { token } = (await bridge.invoke('gateway:createToken', { label })) as { token: string };
      const client = new Client({ name, version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
      );
      return client;
    };
    laptop = await connect('Laptop', 'claude-code');
    cursor = await connect('Cursor', 'cursor');
    bridge.close();
    cursor.setNotificationHandler('notifications/tools/list_changed', () => {
      cursorHeardListChanged += 1;
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await laptop?.close();
    await cursor?.close();
    await browser?.close();
    await web?.stop();
  });

  it('both apps see everything by default; hiding a tool from one token changes only its list', async () => {
    // Both servers connected: each app lists all eight tools.
    const everything = await eventually(
      'both servers listed through the gateway',
      async () => {
        const names = await toolNames(laptop);
        return names.includes('notes__write_note') && names.includes('legacy__echo') ? names : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(await toolNames(cursor), everything);

    await page.goto(web.url);
    await page.getByRole('button', { name: /^Connect apps/ }).click();
    const panel = page.getByRole('region', { name: 'What each app sees' });
    await panel.getByLabel('Apps using the token').selectOption({ label: 'Cursor' });
    const notes = panel.getByTestId('exposure-notes');
    await notes.getByTestId('exposure-summary').getByText('all 3 tools').waitFor();

    // Many tools: the search narrows the list to the ones that match.
    await panel.getByLabel('Search tools').fill('write');
    await notes.getByRole('checkbox', { name: 'write_note', exact: true }).waitFor();
    assert.equal(
      await notes.getByRole('checkbox', { name: 'read_note', exact: true }).count(),
      0,
      'the search hides tools that do not match',
    );
    assert.equal(await panel.getByTestId('exposure-legacy').count(), 0, 'a server with no match is left out while searching');
    await notes.getByRole('checkbox', { name: 'write_note', exact: true }).uncheck();
    await notes.getByTestId('exposure-summary').getByText('2 of 3 tools').waitFor();
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'gateway-exposure-search.png') });
    // The panel's controls are named and readable (axe-core, WCAG 2.1 A/AA: no critical or serious problem).
    const audit = await new AxeBuilder({ page }).include('.gateway-panel').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = audit.violations.filter((violation) => violation.impact === 'critical' || violation.impact === 'serious');
    assert.deepEqual(
      serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
      [],
    );

    const cursorNow = await eventually('Cursor no longer lists write_note', async () => {
      const names = await toolNames(cursor);
      return names.includes('notes__write_note') ? undefined : names;
    });
    assert.deepEqual(
      cursorNow,
      everything.filter((name) => name !== 'notes__write_note'),
    );
    assert.deepEqual(await toolNames(laptop), everything, "the other token's app still sees everything");
    await eventually('Cursor heard list_changed', () => cursorHeardListChanged > 0);
    await assert.rejects(cursor.callTool({ name: 'notes__write_note', arguments: { name: 'x', text: 'y' } }), /Unknown tool/);
  });

  it('hiding a whole server from the other token: two tokens, two different lists', async () => {
    const panel = page.getByRole('region', { name: 'What each app sees' });
    await panel.getByLabel('Search tools').fill('');
    await panel.getByLabel('Apps using the token').selectOption({ label: 'Laptop' });
    const legacy = panel.getByTestId('exposure-legacy');
    await legacy.getByRole('checkbox', { name: 'legacy', exact: true }).uncheck();
    await legacy.getByTestId('exposure-summary').getByText('hidden').waitFor();
    assert.equal(
      await legacy.getByRole('checkbox', { name: 'echo', exact: true }).isDisabled(),
      true,
      "a hidden server's tools cannot be ticked one by one",
    );
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'gateway-exposure.png') });

    const laptopNow = await eventually('Laptop no longer lists the legacy tools', async () => {
      const names = await toolNames(laptop);
      return names.some((name) => name.startsWith('legacy__')) ? undefined : names;
    });
    assert.deepEqual(laptopNow, ['notes__mutate', 'notes__read_note', 'notes__write_note']);
    const cursorNames = await toolNames(cursor);
    assert.ok(
      cursorNames.includes('legacy__echo') && !cursorNames.includes('notes__write_note'),
      `Cursor keeps its own view: ${cursorNames.join(', ')}`,
    );

    // Cursor's view is still what the user left it: switching back shows it.
    await panel.getByLabel('Apps using the token').selectOption({ label: 'Cursor' });
    await panel.getByTestId('exposure-notes').getByTestId('exposure-summary').getByText('2 of 3 tools').waitFor();
    assert.equal(await panel.getByTestId('exposure-notes').getByRole('checkbox', { name: 'write_note', exact: true }).isChecked(), false);
  });
});
