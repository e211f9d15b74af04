/**
 * The first hour in the browser (web mode, real host): the page is up while a silent remote
 * server is still connecting (its card counts the time), a pasted command line is split in the
 * server form, and when `npm run web` stops the page says so at once, and says when a restarted
 * host needs its new address.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

describe('the everyday experience in the browser (web mode)', { skip }, () => {
  let web: WebHost | undefined;
  let browser: Browser;
  let page: Page;
  let silent: Server;
  const sockets = new Set<Socket>();
  const dataDir = tempDir('sluice-e2e-everyday-');

  before(async () => {
    // A Streamable HTTP "server" that accepts every request and never answers.
    silent = createServer(() => undefined);
    silent.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    writeServersFile(dataDir, [{ name: 'silent', type: 'http', url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp` }]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('the page is up while a silent server connects; its card counts the seconds', async () => {
    const began = Date.now();
    web = await startWebHost(dataDir);
    assert.ok(Date.now() - began < 15_000, 'npm run web printed its URL without waiting for the silent server');
    await page.goto(web.url);
    const card = page.getByTestId('server-silent');
    await card.getByText('Connecting…').waitFor();
    await card.getByText(/0:0[1-9]/).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-everyday-connecting.png') });
  });

  it('a command line pasted into Command is split into program and arguments, with an undo', async () => {
    await page.getByRole('button', { name: 'Add server' }).click();
    const command = page.getByLabel('Command');
    await command.focus();
    await page.evaluate(() => {
      // A real paste: the clipboard API is not available to a headless page without permissions.
      const input = document.activeElement as HTMLInputElement;
      const descriptor = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
      descriptor?.set?.call(input, 'node --import tsx "my server.ts"');
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    });
    assert.equal(await command.inputValue(), 'node');
    assert.equal(await page.getByLabel('Arguments').inputValue(), '--import\ntsx\nmy server.ts');
    const note = page.getByRole('status').filter({ hasText: 'Split into the program' });
    await note.waitFor();
    assert.match(await note.innerText(), /node\s+and 3 arguments/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-everyday-command-split.png') });
    await note.getByRole('button', { name: 'Undo' }).click();
    assert.equal(await command.inputValue(), 'node --import tsx "my server.ts"');
    assert.equal(await page.getByLabel('Arguments').inputValue(), '');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('when the host stops the page says so at once; a restarted host needs its new address', async () => {
    const port = new URL(web!.url).port;
    await web!.stop();
    const banner = page.getByTestId('bridge-lost');
    await banner.getByText('Lost connection to Sluice.').waitFor({ timeout: 5_000 });
    await banner.getByText(/stopped or cannot be reached/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-everyday-host-lost.png') });

    // The same port, a new token: the page's old token is refused.
    web = await startWebHost(dataDir, ['--port', port]);
    await banner.getByText(/has a new address/).waitFor({ timeout: 15_000 });
    // One clear message: calls that failed while the host was gone add no second error banner.
    await page.waitForTimeout(1_500);
    assert.equal(await page.getByText(/Could not load everything/).count(), 0, 'no second banner about loading');
    assert.equal(await page.locator('.banners [role="alert"]').count(), 1, 'one error banner');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-everyday-host-new-address.png') });

    // Opening the new URL brings everything back.
    await page.goto(web.url);
    await page.getByTestId('server-silent').waitFor();
    assert.equal(await banner.count(), 0);
  });
});

describe('a server that gives up while the dialog is open (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const dataDir = tempDir('sluice-e2e-gave-up-');
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER)]);
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(web.url);
    await page.getByTestId('server-legacy').getByText('Connected').waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('no made-up countdown; when the server times out the dialog stays with the edits, Approve disabled, until closed', async () => {
    const bridge = await openBridgeClient(web);
    try {
      // The server's own timeout is 4 s, not the 60 s a countdown would have promised.
      void bridge
        .invoke('servers:callTool', {
          name: 'legacy',
          tool: 'ask_model_with_timeout',
          arguments: { prompt: 'Quick question', timeoutMs: 4_000 },
        })
        .catch(() => undefined);
      const dialog = page.getByRole('dialog', { name: 'Sampling request from legacy' });
      await dialog.waitFor();
      await dialog.getByText('Servers typically give up after 60 s').waitFor();
      assert.equal(await dialog.getByTestId('countdown').count(), 0, 'no countdown to a deadline nobody knows');
      await dialog.getByTestId('mcp-request-id').waitFor();
      assert.match(await dialog.getByTestId('mcp-request-id').innerText(), /^\d+$/, "the server's JSON-RPC id");
      const message = dialog.getByLabel('Message 1 (user)');
      await message.fill('Quick question, edited with care');

      await dialog.getByTestId('server-gave-up').waitFor({ timeout: 15_000 });
      assert.equal(await message.inputValue(), 'Quick question, edited with care', 'the edits are still there');
      assert.ok(await dialog.getByRole('button', { name: 'Approve and generate' }).isDisabled());
      await dialog.getByRole('button', { name: 'Copy my edits' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-everyday-server-gave-up.png') });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      bridge.close();
    }
  });
});
