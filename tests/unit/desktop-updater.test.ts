/**
 * The desktop updater's logic under plain Node, against a fake release feed that behaves like
 * electron-updater's autoUpdater (events during checkForUpdates, download in the background):
 * available → downloading → ready, not available, errors, the setting, timers, and the menu's sentences.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UpdateController, type UpdateFeed } from '../../electron/desktop/updater.js';
import type { UpdateState } from '../../shared/domain.js';
import { tempDir } from '../helpers/test-host.js';

type FeedScript = 'available' | 'not-available' | 'error' | 'network-down';

/** A feed that, on checkForUpdates, emits what a real one would for the scripted outcome. */
class FakeFeed extends EventEmitter implements UpdateFeed {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  constructor(
    public script: FeedScript,
    private readonly version = '0.2.0',
  ) {
    super();
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    this.emit('checking-for-update');
    if (this.script === 'network-down') throw new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack line');
    if (this.script === 'error') {
      this.emit('error', new Error(`HttpError: 404 "${'x'.repeat(1000)}"`));
      return null;
    }
    if (this.script === 'not-available') {
      this.emit('update-not-available', { version: '0.1.0' });
      return null;
    }
    this.emit('update-available', { version: this.version });
    // The download continues after checkForUpdates resolves, as electron-updater's does.
    setImmediate(() => {
      for (const percent of [12.5, 50, 99.9]) this.emit('download-progress', { percent });
      this.emit('update-downloaded', { version: this.version });
    });
    return { updateInfo: { version: this.version } };
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const pending: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    schedule: (run: () => void, ms: number) => {
      const timer = { run, ms, cancelled: false };
      pending.push(timer);
      return () => (timer.cancelled = true);
    },
    fireNext() {
      const timer = pending.find((candidate) => !candidate.cancelled);
      assert.ok(timer, 'a timer is scheduled');
      timer.cancelled = true;
      timer.run();
      return timer.ms;
    },
    active: () => pending.filter((timer) => !timer.cancelled),
  };
}

function controllerWith(feed: FakeFeed, dataDir = tempDir('sluice-updates-')) {
  const timers = manualTimers();
  const states: UpdateState[] = [];
  const controller = new UpdateController({
    currentVersion: '0.1.0',
    dataDir,
    feed: async () => feed,
    schedule: timers.schedule,
    startDelayMs: 10_000,
    intervalMs: 86_400_000,
    now: () => 1_700_000_000_000,
  });
  controller.onChange((state) => states.push(state));
  return { controller, timers, states, dataDir };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the desktop updater', () => {
  it('checks after the start delay, downloads in the background, then offers a restart that installs', async () => {
    const feed = new FakeFeed('available');
    const { controller, timers, states } = controllerWith(feed);
    await controller.start();
    assert.equal(feed.checks, 0, 'nothing is checked while the app starts');
    assert.equal(timers.fireNext(), 10_000);
    await settle();
    await settle();
    assert.equal(feed.autoDownload, true);
    assert.deepEqual(
      states.map((state) => state.status).filter((status, i, all) => status !== all[i - 1]),
      ['idle', 'checking', 'available', 'downloading', 'ready'],
    );
    assert.deepEqual(
      states.filter((s) => s.status === 'downloading').map((s) => s.percent),
      [12.5, 50, 99.9],
    );
    assert.equal(controller.state().version, '0.2.0');
    assert.match(UpdateController.describe(controller.state()), /0\.2\.0 has been downloaded\. Restart Sluice to update/);
    controller.restart();
    await settle();
    assert.equal(feed.installs, 1);
    // The next automatic check is a day later, and a check while an update waits does not start another.
    assert.equal(timers.active()[0]?.ms, 86_400_000);
    await controller.check();
    assert.equal(feed.checks, 1);
  });

  it('says the app is up to date when the feed has nothing newer', async () => {
    const feed = new FakeFeed('not-available');
    const { controller } = controllerWith(feed);
    const state = await controller.check();
    assert.equal(state.status, 'up-to-date');
    assert.equal(state.checkedAt, 1_700_000_000_000);
    assert.equal(UpdateController.describe(state), 'Sluice 0.1.0 is the newest version.');
    assert.throws(() => controller.restart(), /No update has been downloaded/);
  });

  it('reports feed errors in one bounded line and tries again next time', async () => {
    for (const script of ['error', 'network-down'] as const) {
      const feed = new FakeFeed(script);
      const { controller } = controllerWith(feed);
      const state = await controller.check();
      assert.equal(state.status, 'error');
      assert.ok((state.error ?? '').length <= 301, 'error is bounded');
      assert.doesNotMatch(state.error ?? '', /\n/);
      assert.match(UpdateController.describe(state), /^Could not check for updates: /);
      feed.script = 'not-available';
      assert.equal((await controller.check()).status, 'up-to-date');
    }
  });

  it('a failing feed load (no electron-updater) is an error state, not a crash', async () => {
    const controller = new UpdateController({
      currentVersion: '0.1.0',
      dataDir: tempDir(),
      feed: () => Promise.reject(new Error('Cannot find module electron-updater')),
    });
    const state = await controller.check();
    assert.equal(state.status, 'error');
    assert.match(state.error ?? '', /electron-updater/);
  });

  it('the setting turns automatic checks off, is kept in a 0600 file, and a manual check still works', async () => {
    const feed = new FakeFeed('not-available');
    const first = controllerWith(feed);
    await first.controller.start();
    assert.equal(first.timers.active().length, 1);
    const state = await first.controller.setEnabled(false);
    assert.equal(state.enabled, false);
    assert.equal(first.timers.active().length, 0, 'the pending automatic check is cancelled');
    const file = path.join(first.dataDir, 'updates.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { checkAtStart: false });
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);

    // Next start: the setting holds, nothing is scheduled, the menu's check still asks the feed.
    const second = controllerWith(feed, first.dataDir);
    await second.controller.start();
    assert.equal(second.controller.state().enabled, false);
    assert.equal(second.timers.active().length, 0);
    await second.controller.check();
    assert.equal(feed.checks, 1);
    await second.controller.setEnabled(true);
    assert.equal(second.timers.active().length, 1);
  });

  it('two checks at once ask the feed once', async () => {
    const feed = new FakeFeed('not-available');
    const { controller } = controllerWith(feed);
    await Promise.all([controller.check(), controller.check()]);
    assert.equal(feed.checks, 1);
  });
});
