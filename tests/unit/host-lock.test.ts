/** One host per data folder: sluice.lock refuses a second host and is taken over when stale. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquireHostLock, HostLockedError, LOCK_FILE } from '../../electron/core/storage/host-lock.js';
import { tempDir } from '../helpers/test-host.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

/** A process that is alive for the test's duration (a running Sluice, as far as the lock can tell). */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

describe('sluice.lock', () => {
  it('is written 0600 with pid, mode and address, refuses a second host by name, and is removed on release', async () => {
    const dir = tempDir();
    const other = liveProcess();
    try {
      writeFileSync(
        path.join(dir, LOCK_FILE),
        JSON.stringify({ pid: other.pid, mode: 'web', address: 'http://127.0.0.1:8700/', startedAt: 1 }),
      );
      await assert.rejects(acquireHostLock(dir, { mode: 'desktop' }), (error: unknown) => {
        assert.ok(error instanceof HostLockedError);
        assert.match(
          error.message,
          new RegExp(`already running on the data folder .* in web mode \\(process ${other.pid}\\) at http://127\\.0\\.0\\.1:8700/`),
        );
        return true;
      });
    } finally {
      other.stop();
    }
  });

  it('a stale lock (dead process, or unreadable) is taken over', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, mode: 'desktop', startedAt: 1 }));
    const lock = await acquireHostLock(dir, { mode: 'web' });
    await lock.setAddress('http://127.0.0.1:1234/');
    const written = JSON.parse(readFileSync(lock.file, 'utf8'));
    assert.deepEqual([written.pid, written.mode, written.address], [process.pid, 'web', 'http://127.0.0.1:1234/']);
    if (process.platform !== 'win32') assert.equal(statSync(lock.file).mode & 0o777, 0o600);
    await lock.release();
    assert.ok(!existsSync(lock.file));
    writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    await (await acquireHostLock(dir, { mode: 'web' })).release();
  });

  it('npm run web on a folder a desktop app holds refuses, naming it', () => {
    const dir = tempDir();
    const other = liveProcess();
    try {
      writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: other.pid, mode: 'desktop', startedAt: 1 }));
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'electron', 'web', 'cli.ts'), '--data-dir', dir], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 1);
      assert.match(
        run.stderr,
        new RegExp(`already running on the data folder .* in the desktop app \\(process ${other.pid}\\): switch to its window`),
      );
      assert.ok(!existsSync(path.join(dir, 'servers.json')) && !existsSync(path.join(dir, 'history.jsonl')), 'nothing was started');
    } finally {
      other.stop();
    }
  });
});
