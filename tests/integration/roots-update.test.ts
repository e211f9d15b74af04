/**
 * Changing a server's own roots (Roots tab → `roots:setServer`) updates its definition in place:
 * servers.json is rewritten, the server process and its session stay up, and a 2025-era server
 * gets `notifications/roots/list_changed` and lists the new folders. A 2026-07-28 server has no
 * such notification; it sees the new folders the next time a tool call asks for them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ServerState } from '../../shared/domain.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const SCRIPTS = {
  legacy: path.join(FIXTURES_DIR, 'elicit-legacy-server.ts'),
  modern: path.join(FIXTURES_DIR, 'elicit-modern-server.ts'),
} as const;

async function eventually<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`Timed out waiting for ${what}`);
}

for (const era of ['legacy', 'modern'] as const) {
  describe(`changing a ${era} server's own roots`, () => {
    let host: SluiceHost;
    let dataDir: string;
    const log = tempLogFile();
    const connects = async () =>
      (await host.invoke('servers:logs', { name: era })).filter((e) => e.source === 'sluice' && e.text.startsWith('Connected over')).length;
    const storedEntry = () =>
      (
        JSON.parse(readFileSync(path.join(dataDir, 'servers.json'), 'utf8')) as {
          mcpServers: Record<string, { roots?: unknown; command?: string }>;
        }
      ).mcpServers[era];

    before(async () => {
      dataDir = tempDir();
      host = await startTestHost(dataDir);
      await host.invoke('servers:save', { definition: stdioFixture(era, SCRIPTS[era], { FIXTURE_LOG: log }) });
      await waitForState(host, era, 'connected');
    });
    after(async () => {
      await host?.close();
    });

    it('saves the folders without restarting the server', async () => {
      const pid = host.servers.get(era).pid();
      assert.ok(pid, 'the server process runs');
      const connectsBefore = await connects();
      const states: ServerState[] = [];
      const unsubscribe = host.events.on('servers:changed', (statuses) => {
        const mine = statuses.find((s) => s.definition.name === era);
        if (mine) states.push(mine.state);
      });
      const folder = tempDir('sluice-own-root-');
      try {
        await host.invoke('roots:setServer', { name: era, roots: [{ path: folder, name: 'Project' }] });
      } finally {
        unsubscribe();
      }

      assert.equal(host.servers.get(era).pid(), pid, 'the same server process');
      assert.equal(await connects(), connectsBefore, 'no new connection');
      assert.ok(!states.some((state) => state !== 'connected'), `no reconnect (states seen: ${states.join(', ')})`);
      const [status] = await host.invoke('servers:list', {});
      assert.equal(status?.state, 'connected');
      assert.deepEqual(status?.definition.roots, [{ path: folder, name: 'Project' }]);
      assert.deepEqual(storedEntry()?.roots, [{ path: folder, name: 'Project' }], 'servers.json has the folders');
      assert.ok(storedEntry()?.command, 'the rest of the entry is intact');

      // Asked now, on the same session, the server gets the new folder.
      const listed = JSON.parse(textOf(await host.invoke('servers:callTool', { name: era, tool: 'list_roots', arguments: {} }))) as Array<{
        uri: string;
        name?: string;
      }>;
      assert.deepEqual(listed, [{ uri: pathToFileURL(folder).href, name: 'Project' }]);
      assert.equal(host.servers.get(era).pid(), pid);
    });

    if (era === 'legacy') {
      it('tells the server the list changed; it lists again and gets the new folders', async () => {
        const pid = host.servers.get(era).pid();
        const seen = readFixtureLog(log).filter((e) => e.tool === 'roots_changed').length;
        const first = tempDir('sluice-own-a-');
        const second = tempDir('sluice-own-b-');
        await host.invoke('roots:setServer', { name: era, roots: [{ path: first }, { path: second }] });
        const changed = await eventually(
          () => readFixtureLog(log).filter((e) => e.tool === 'roots_changed')[seen],
          'notifications/roots/list_changed at the server',
        );
        assert.ok(changed.ok);
        assert.deepEqual(
          (changed.result as Array<{ uri: string }>).map((root) => root.uri),
          [pathToFileURL(first).href, pathToFileURL(second).href],
        );
        assert.equal(host.servers.get(era).pid(), pid, 'still the same server process');
      });
    }

    it('an empty list removes the field; a missing folder is refused and nothing changes', async () => {
      const good = tempDir('sluice-own-keep-');
      await host.invoke('roots:setServer', { name: era, roots: [{ path: good }] });
      await assert.rejects(host.invoke('roots:setServer', { name: era, roots: [{ path: '/definitely/not/here' }] }), /No such folder/);
      assert.deepEqual(storedEntry()?.roots, [{ path: good }]);
      assert.deepEqual((await host.invoke('roots:get', {})).servers[era], [{ path: good }]);

      await host.invoke('roots:setServer', { name: era, roots: [] });
      assert.equal(storedEntry()?.roots, undefined);
      assert.deepEqual((await host.invoke('roots:get', {})).servers[era], []);
      await assert.rejects(host.invoke('roots:setServer', { name: 'nobody', roots: [] }), /No server named "nobody"/);
    });
  });
}
