/**
 * History filters end to end (web mode, real host, two real legacy MCP servers): one sampling
 * request is answered (sent) and one rejected through the host's bridge, as another tab would;
 * then, in the History view, Decision = Rejected shows only the rejected one and Server narrows
 * to one server; Export JSONL downloads exactly what the filters show; search, the detail pane
 * and "Delete these…" work against the host's database.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HistoryEntry, PendingSampling, ServerStatus } from '../../shared/domain.js';
import type { HistoryPage } from '../../shared/history.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

type Bridge = Awaited<ReturnType<typeof openBridgeClient>>;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Calls the server's sampling tool and waits until its request is pending in Sluice. */
async function askAndWait(bridge: Bridge, server: string, prompt: string): Promise<{ pending: PendingSampling; call: Promise<unknown> }> {
  const call = bridge.invoke('servers:callTool', { name: server, tool: 'ask_model', arguments: { prompt } });
  call.catch(() => undefined);
  const pending = await until(`a sampling request from ${server}`, async () =>
    ((await bridge.invoke('sampling:list', {})) as PendingSampling[]).find((p) => p.serverName === server),
  );
  return { pending, call };
}

describe('history filters in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let bridge: Bridge;

  before(async () => {
    const dataDir = tempDir('sluice-e2e-history-');
    writeServersFile(dataDir, [stdioFixture('alpha', LEGACY_SERVER), stdioFixture('beta', LEGACY_SERVER)]);
    web = await startWebHost(dataDir);
    bridge = await openBridgeClient(web);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    bridge?.close();
    await browser?.close();
    await web?.stop();
  });

  it('filters, search, export, details and delete, all served by the database', async () => {
    await until('both servers to connect', async () => {
      const servers = (await bridge.invoke('servers:list', {})) as ServerStatus[];
      return servers.filter((s) => s.state === 'connected').length === 2 ? true : undefined;
    });
    // One answered request from alpha, one rejected request from beta.
    const sent = await askAndWait(bridge, 'alpha', 'Question from alpha');
    await bridge.invoke('sampling:send', {
      id: sent.pending.id,
      result: { role: 'assistant', model: 'typed-by-hand', content: { type: 'text', text: 'An answer for alpha' } },
    });
    await sent.call;
    const rejected = await askAndWait(bridge, 'beta', 'Question from beta');
    await bridge.invoke('sampling:reject', { id: rejected.pending.id, reason: 'not today' });
    await rejected.call.catch(() => undefined);
    const page1 = (await bridge.invoke('history:page', { filter: {}, limit: 10 })) as HistoryPage;
    assert.deepEqual(page1.rows.map((e) => e.outcome).sort(), ['rejected', 'sent']);
    const sentEntry = page1.rows.find((e) => e.outcome === 'sent');
    const rejectedEntry = page1.rows.find((e) => e.outcome === 'rejected');
    assert.ok(sentEntry && rejectedEntry);

    await page.goto(web.url);
    await page.getByRole('button', { name: /^History/ }).click();
    const sentRow = page.getByTestId(`history-${sentEntry.id}`);
    const rejectedRow = page.getByTestId(`history-${rejectedEntry.id}`);
    await sentRow.waitFor();
    await rejectedRow.waitFor();

    await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'Rejected' });
    await sentRow.waitFor({ state: 'detached' });
    assert.equal(await rejectedRow.isVisible(), true, 'the rejected entry stays');
    assert.equal(await page.locator('.history-item').count(), 1, 'only the rejected entry is listed');
    await page.getByTestId('history-count').getByText('1 of 2').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-history-filters.png') });

    // Export (a streamed download in web mode) holds what the filters show, not the whole history.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSONL' }).click()]);
    const exported = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as HistoryEntry);
    assert.deepEqual(
      exported.map((e) => e.id),
      [rejectedEntry.id],
    );
    assert.equal(exported[0]?.detail, 'Rejected: not today');

    // Rejected + alpha: nothing (alpha's request was sent); then all decisions from alpha: the sent one.
    await page.getByLabel('Server', { exact: true }).selectOption({ label: 'alpha' });
    await page.getByText('Nothing matches these filters.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Export JSONL' }).isDisabled(), true);
    await page.getByLabel('Decision', { exact: true }).selectOption({ label: 'All' });
    await sentRow.waitFor();
    assert.equal(await rejectedRow.count(), 0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await rejectedRow.waitFor();
    assert.equal(await page.locator('.history-item').count(), 2);

    // Search is answered by the database: a word from beta's question finds only beta's entry.
    await page.getByLabel('Search history').fill('beta');
    await sentRow.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.history-item').count(), 1);

    // The detail pane loads the one entry on demand.
    await rejectedRow.click();
    const detail = page.getByTestId('history-detail');
    await detail.getByText('Question from beta').first().waitFor();
    await detail.getByText('Rejected: not today').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-history-detail.png') });

    // "Delete these…" names the count first; afterwards only alpha's entry is left.
    await page.getByRole('button', { name: 'Delete these…' }).click();
    await page.getByText('1 entry matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Delete 1 entry' }).click();
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await sentRow.waitFor();
    await page.getByTestId('history-count').getByText('1 entry').waitFor();
    const left = (await bridge.invoke('history:count', { filter: {} })) as { total: number };
    assert.equal(left.total, 1);
  });
});
