/** Small pieces of server management: reconnect backoff, the log buffer, the store's round trip. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { reconnectDelay } from '../../electron/core/servers/backoff.js';
import { LOG_ENTRIES_KEPT, LogBuffer } from '../../electron/core/servers/log-buffer.js';
import { ServersStore } from '../../electron/core/storage/servers-store.js';
import { ServerDefinitionSchema } from '../../shared/domain.js';
import { tempDir } from '../helpers/test-host.js';

describe('reconnect backoff', () => {
  it('doubles from 1 s, is capped, and gives up after the last attempt', () => {
    const policy = { baseMs: 1000, maxMs: 8000, maxAttempts: 6, stableMs: 30_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelay(n, policy)),
      [1000, 2000, 4000, 8000, 8000, 8000, undefined],
    );
  });
});

describe('server log buffer', () => {
  it('joins stderr chunks into whole lines and keeps a tail per run', () => {
    const seen: string[] = [];
    const log = new LogBuffer((entry) => seen.push(entry.text));
    log.addStderr('first li');
    log.addStderr('ne\nsecond\r\n\nthi');
    assert.deepEqual(seen, ['first line', 'second']);
    const mark = log.mark();
    log.flushStderr();
    assert.deepEqual(log.stderrTail(5), ['first line', 'second', 'thi']);
    assert.deepEqual(log.stderrTail(5, mark), ['thi']);
  });

  it('is bounded', () => {
    const log = new LogBuffer(() => undefined);
    for (let i = 0; i < LOG_ENTRIES_KEPT + 10; i++) log.add({ source: 'sluice', text: `n${i}` });
    const entries = log.list();
    assert.equal(entries.length, LOG_ENTRIES_KEPT);
    assert.equal(entries.at(-1)?.text, `n${LOG_ENTRIES_KEPT + 9}`);
  });
});

describe('servers store', () => {
  it('writes the mcpServers shape and keeps Sluice fields (enabled, era, sampling policy) across a round trip', async () => {
    const dir = tempDir();
    const store = new ServersStore(dir);
    const definition = ServerDefinitionSchema.parse({
      name: 'files',
      type: 'stdio',
      command: 'npx',
      args: ['-y', 'server'],
      enabled: false,
      era: 'legacy',
      sampling: { policy: 'deny' },
    });
    await store.save([definition]);
    const raw = JSON.parse(readFileSync(path.join(dir, 'servers.json'), 'utf8'));
    assert.deepEqual(raw.mcpServers.files.args, ['-y', 'server']);
    assert.equal(raw.mcpServers.files.name, undefined, 'the name is the key');
    const loaded = await store.load();
    assert.deepEqual(loaded.value, [definition]);
  });
});
