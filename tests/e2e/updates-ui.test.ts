/**
 * The self-update as the user sees it. Web mode has no updater (the host answers
 * `supported: false`), so the page's bridge socket is routed through Playwright and the host's
 * `updates:*` answers are replaced with the states the desktop updater reports: the test checks
 * what the sidebar and the banner say for each, and that "Check now" and "Restart to update"
 * reach the host as `updates:check` and `updates:restart`.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { UpdateState } from '../../shared/domain.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('self-update in the sidebar and banner (web mode, updater states replayed)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  /** What the fake updater answers next; every `updates:*` call the page made, in order. */
  let state: UpdateState;
  const calls: string[] = [];

  before(async () => {
    web = await startWebHost(tempDir('sluice-e2e-updates-'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.routeWebSocket(/\/bridge$/, (socket) => {
      const host = socket.connectToServer();
      const replaced = new Map<number, string>();
      socket.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { kind: string; id?: number; channel?: string };
        if (frame.kind === 'invoke' && frame.channel?.startsWith('updates:') && frame.id !== undefined) {
          calls.push(frame.channel);
          replaced.set(frame.id, frame.channel);
        }
        host.send(message);
      });
      host.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { kind: string; id?: number; ok?: boolean; response?: unknown };
        const channel = frame.id !== undefined ? replaced.get(frame.id) : undefined;
        if (frame.kind === 'result' && channel) {
          // The web host refuses `updates:restart` (no updater): answer as the desktop host does.
          const answer =
            channel === 'updates:restart'
              ? { kind: 'result', id: frame.id, ok: true, response: { ok: true } }
              : { kind: 'result', id: frame.id, ok: true, response: state };
          socket.send(JSON.stringify(answer));
          return;
        }
        socket.send(message);
      });
    });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('a failed check says why and offers "Check now", which asks the host', async () => {
    state = { supported: true, enabled: true, status: 'error', currentVersion: '0.1.0', error: 'The release feed could not be reached' };
    await page.goto(web.url);
    const status = page.locator('.update-status');
    await status.getByText('Update check failed: The release feed could not be reached').waitFor();
    assert.equal(await page.getByLabel('Check for updates at start').isChecked(), true);
    state = { supported: true, enabled: true, status: 'downloading', currentVersion: '0.1.0', version: '0.2.0', percent: 41.6 };
    await status.getByRole('button', { name: 'Check now' }).click();
    await status.getByText('Downloading 0.2.0 (42%)').waitFor();
    assert.ok(calls.includes('updates:check'), `the page asked the host to check (calls: ${calls.join(', ')})`);
    // Nothing to check while a download is under way.
    assert.equal(await status.getByRole('button', { name: 'Check now' }).count(), 0);
  });

  it('a downloaded update shows the banner, and "Restart to update" reaches the host', async () => {
    state = { supported: true, enabled: true, status: 'ready', currentVersion: '0.1.0', version: '0.2.0' };
    await page.reload();
    const banner = page.getByRole('status').filter({ hasText: 'Sluice 0.2.0 has been downloaded' });
    await banner.waitFor();
    await page.locator('.update-status').getByText('0.2.0 is ready: restart to update').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-update-ready.png') });
    await banner.getByRole('button', { name: 'Restart to update' }).click();
    await eventually('updates:restart sent to the host', () => calls.includes('updates:restart'));
  });
});
