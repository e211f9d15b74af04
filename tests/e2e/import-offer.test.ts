/**
 * The first run, as a user with Claude Desktop sees it (web mode, real host): the Servers screen
 * is empty and Claude Desktop's config lists two servers, so Sluice offers them ("Found 2 servers
 * in Claude Desktop"). Import goes straight to the preview; nothing is added before the user
 * confirms there; after it both servers are in the list, switched off (a command from another
 * program's file starts only when the user enables it), and the offer is gone.
 *
 * Claude Desktop's config is found where it is on Linux, under $XDG_CONFIG_HOME, pointed at a
 * temp folder for the web host.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FIXTURES_DIR, fixtureCommand, LEGACY_SERVER } from '../fixtures/harness.js';
import { screenshotBothThemes } from '../helpers/screenshots.js';
import { tempDir } from '../helpers/test-host.js';
import { browserSkipReason, openUi, type BridgeClient, type UiSession } from '../helpers/web-mode.js';

const skip = browserSkipReason();

describe('first run: the offer to import servers from Claude Desktop (web mode)', { skip }, () => {
  let ui: UiSession;
  let page: Page;
  let bridge: BridgeClient;
  /** The servers Sluice has, by name and whether they are switched on (as the host says, not the page). */
  const servers = async () =>
    ((await bridge.invoke('servers:list', {})) as Array<{ definition: { name: string; enabled: boolean } }>)
      .map((server) => [server.definition.name, server.definition.enabled] as const)
      .sort();

  before(async () => {
    const config = tempDir('sluice-e2e-xdg-');
    mkdirSync(path.join(config, 'Claude'), { recursive: true });
    const notes = fixtureCommand(path.join(FIXTURES_DIR, 'rich-server.ts'));
    const legacy = fixtureCommand(LEGACY_SERVER);
    writeFileSync(
      path.join(config, 'Claude', 'claude_desktop_config.json'),
      JSON.stringify({ mcpServers: { notes: { command: notes.command, args: notes.args }, legacy: legacy } }, null, 2),
    );
    ui = await openUi(tempDir('sluice-e2e-offer-'), [], { XDG_CONFIG_HOME: config });
    ({ page, bridge } = ui);
  });
  after(() => ui?.close());

  it('offers the servers Claude Desktop lists; Import previews them; confirming adds both, switched off', async () => {
    await page.getByRole('button', { name: 'Servers' }).first().click();
    const offer = page.getByTestId('import-offer');
    await offer.getByText('Found 2 servers in').waitFor();
    assert.match((await offer.textContent()) ?? '', /Found 2 servers in Claude Desktop/);
    await screenshotBothThemes(page, 'e2e-import-offer');

    await offer.getByRole('button', { name: 'Import from Claude Desktop' }).click();
    for (const name of ['notes', 'legacy']) await page.getByTestId(`import-${name}`).waitFor();
    assert.deepEqual(await servers(), [], 'nothing added before the user confirms');

    await page.getByRole('button', { name: 'Import 2 servers' }).click();
    for (const name of ['notes', 'legacy']) await page.getByTestId(`server-${name}`).getByText('Disabled').waitFor();
    assert.deepEqual(await servers(), [
      ['legacy', false],
      ['notes', false],
    ]);
    await page.getByRole('button', { name: 'Servers' }).first().click();
    assert.equal(await page.getByTestId('import-offer').count(), 0, 'no offer once there are servers');
  });
});
