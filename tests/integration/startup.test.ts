/**
 * Startup never waits for servers: a Streamable HTTP server that accepts connections but never
 * answers must not hold up the host (and so the window or `npm run web`); it shows as
 * "connecting" with the time it started, and gives up after a bounded wait without trying the
 * SSE fallback against the same silent server.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, waitForState, writeServersFile } from '../helpers/test-host.js';

describe('startup with a silent remote server', () => {
  let silent: Server;
  let url: string;
  const sockets = new Set<Socket>();
  let requests = 0;

  before(async () => {
    // Accepts every request and never answers it.
    silent = createServer(() => void requests++);
    silent.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  function startHost(dataDir: string, connectTimeoutMs?: number): Promise<SluiceHost> {
    return SluiceHost.start({ dataDir, secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')), mode: 'web', connectTimeoutMs });
  }

  it('the host is ready at once while the silent server is still connecting; other servers connect meanwhile', async () => {
    const dataDir = tempDir();
    writeServersFile(dataDir, [{ name: 'silent', type: 'http', url }, stdioFixture('legacy', LEGACY_SERVER)]);
    const began = Date.now();
    // (A long connect timeout, so the silent server is surely still connecting on a slow machine.)
    const host = await startHost(dataDir, 120_000);
    try {
      assert.ok(Date.now() - began < 15_000, `the host started in ${Date.now() - began} ms`);
      const silentStatus = (await host.invoke('servers:list', {})).find((s) => s.definition.name === 'silent');
      assert.equal(silentStatus?.state, 'connecting');
      assert.ok(
        silentStatus?.connectingSince !== undefined && silentStatus.connectingSince >= began,
        'the card can show how long it has been connecting',
      );
      await waitForState(host, 'legacy', 'connected', 60_000);
      const statuses = await host.invoke('servers:list', {});
      assert.equal(statuses.find((s) => s.definition.name === 'silent')?.state, 'connecting', 'still waiting for the silent one');
      assert.equal(
        statuses.find((s) => s.definition.name === 'legacy')?.connectingSince,
        undefined,
        'a connected server has no connecting clock',
      );
    } finally {
      await host.close();
    }
  });

  it('gives up on the silent server after the connect timeout, with a sentence and without an SSE fallback', async () => {
    const dataDir = tempDir();
    writeServersFile(dataDir, [{ name: 'silent', type: 'http', url }]);
    // Counted before the host starts: it connects in the background, so the request may arrive before start() returns.
    const before = requests;
    const host = await startHost(dataDir, 1_500);
    try {
      await waitForState(host, 'silent', 'error', 10_000);
      const status = (await host.invoke('servers:list', {})).find((s) => s.definition.name === 'silent');
      assert.match(status?.error ?? '', /The server did not answer within 2 s/);
      const logs = await host.invoke('servers:logs', { name: 'silent' });
      assert.ok(!logs.some((entry) => /legacy SSE/.test(entry.text)), 'no SSE fallback against a server that did not answer');
      assert.ok(requests - before >= 1, 'the server was asked');
    } finally {
      await host.close();
    }
  });
});
