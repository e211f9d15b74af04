/**
 * Files only the user can read: the data folder is 0700 and every file Sluice writes in it 0600,
 * including files an older version left readable by others.
 */
import assert from 'node:assert/strict';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startTestHost, tempDir, writeServersFile } from '../helpers/test-host.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('data folder permissions', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, () => {
  it('the folder is 0700, existing files are tightened and new ones are written 0600', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeServersFile(dir, [{ name: 'srv', type: 'stdio', command: 'node', enabled: false }]);
    writeFileSync(path.join(dir, 'window-state.json'), '{}', { mode: 0o644 });
    chmodSync(path.join(dir, 'servers.json'), 0o644);
    const host = await startTestHost(dir);
    assert.equal(modeOf(dir), 0o700);
    assert.equal(modeOf(path.join(dir, 'servers.json')), 0o600);
    assert.equal(modeOf(path.join(dir, 'window-state.json')), 0o600);
    await host.invoke('sampling:setPaused', { paused: true });
    await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Local', baseUrl: 'http://127.0.0.1:1/v1', models: ['m'] });
    await host.invoke('servers:setEnabled', { name: 'srv', enabled: false });
    host.broker
      .enqueue({ serverName: 'srv', route: 'push' }, { messages: [{ role: 'user', content: { type: 'text', text: 'x' } }], maxTokens: 1 })
      .catch(() => undefined);
    await host.history.flush();
    for (const name of ['sampling.json', 'providers.json', 'servers.json', 'history.db']) {
      assert.equal(modeOf(path.join(dir, name)), 0o600, name);
    }
    await host.close();
  });
});
