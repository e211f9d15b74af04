/**
 * The `updates:*` channels as the renderer uses them: web mode says why there is no updater; with
 * the desktop's controller (here on a fake feed) the state, the setting and the "ready" event
 * reach the renderer, and "Restart to update" is refused until a download is ready.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { UpdateController, type UpdateFeed } from '../../electron/desktop/updater.js';
import type { UpdateState } from '../../shared/domain.js';
import { nextEvent, startTestHost, tempDir } from '../helpers/test-host.js';

class ReadyFeed extends EventEmitter implements UpdateFeed {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  installs = 0;
  checkForUpdates(): Promise<unknown> {
    this.emit('update-available', { version: '9.9.9' });
    setImmediate(() => this.emit('update-downloaded', { version: '9.9.9' }));
    return Promise.resolve(null);
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

describe('the updates channels', () => {
  const hosts: SluiceHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((host) => host.close()));
  });

  it('web mode says updates are not offered, and why', async () => {
    const host = await startTestHost();
    hosts.push(host);
    const state = await host.invoke('updates:state', {});
    assert.equal(state.supported, false);
    assert.match(state.reason ?? '', /Web mode has no updater/);
    await assert.rejects(host.invoke('updates:restart', {}), /Web mode has no updater/);
  });

  it('the desktop controller: setting, check, the ready event, then restart installs', async () => {
    const dataDir = tempDir('sluice-updates-host-');
    const feed = new ReadyFeed();
    const updates = new UpdateController({
      currentVersion: '0.1.0',
      dataDir,
      feed: () => Promise.resolve(feed),
      schedule: () => () => undefined,
    });
    await updates.start();
    const host = await SluiceHost.start({
      dataDir,
      secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
      mode: 'desktop',
      updates,
    });
    hosts.push(host);
    assert.deepEqual(await host.invoke('updates:state', {}), { supported: true, enabled: true, status: 'idle', currentVersion: '0.1.0' });
    assert.equal((await host.invoke('updates:setEnabled', { enabled: false })).enabled, false);
    await assert.rejects(host.invoke('updates:restart', {}), /No update has been downloaded/);
    const ready = nextEvent(host, 'updates:changed', (state: UpdateState) => state.status === 'ready');
    await host.invoke('updates:check', {});
    assert.equal((await ready).version, '9.9.9');
    assert.deepEqual(await host.invoke('updates:restart', {}), { ok: true });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(feed.installs, 1);
  });
});
