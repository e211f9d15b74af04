/**
 * The three transports against real SDK servers: Streamable HTTP, legacy SSE, and an `http`
 * server that only speaks SSE, reached through the automatic fallback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { LEGACY_SERVER, MODERN_SERVER, spawnHttpFixture, type SpawnedHttpFixture } from '../fixtures/harness.js';
import { startTestHost, textOf, waitForState } from '../helpers/test-host.js';

describe('transports', () => {
  let host: SluiceHost;
  let http: SpawnedHttpFixture;
  let sse: SpawnedHttpFixture;
  let modern: SpawnedHttpFixture;

  before(async () => {
    [http, sse, modern] = await Promise.all([
      spawnHttpFixture(LEGACY_SERVER, { flag: '--http' }),
      spawnHttpFixture(LEGACY_SERVER, { flag: '--sse' }),
      spawnHttpFixture(MODERN_SERVER, { flag: '--http' }),
    ]);
    host = await startTestHost();
  });

  after(async () => {
    await host?.close();
    await Promise.all([http?.stop(), sse?.stop(), modern?.stop()]);
  });

  async function connectAndEcho(name: string, type: 'http' | 'sse', url: string): Promise<string | undefined> {
    await host.invoke('servers:save', { definition: { name, type, url } });
    await waitForState(host, name, 'connected', 30_000);
    const result = await host.invoke('servers:callTool', { name, tool: 'echo', arguments: { text: `hi ${name}` } });
    assert.equal(textOf(result), `hi ${name}`);
    return (await host.invoke('servers:list', {})).find((s) => s.definition.name === name)?.transport;
  }

  it('Streamable HTTP (2025 server)', async () => {
    assert.equal(await connectAndEcho('streamable', 'http', `${http.origin}/mcp`), 'http');
  });

  it('Streamable HTTP (2026-07-28 server)', async () => {
    assert.equal(await connectAndEcho('modern', 'http', `${modern.origin}/mcp`), 'http');
    assert.equal((await host.invoke('servers:list', {})).find((s) => s.definition.name === 'modern')?.era, 'modern');
  });

  it('legacy SSE, configured as such', async () => {
    assert.equal(await connectAndEcho('sse', 'sse', `${sse.origin}/sse`), 'sse');
  });

  it('an http server that only speaks SSE falls back to SSE', async () => {
    assert.equal(await connectAndEcho('fallback', 'http', `${sse.origin}/sse`), 'sse');
    const logs = await host.invoke('servers:logs', { name: 'fallback' });
    assert.ok(logs.some((e) => /trying the legacy SSE transport/.test(e.text)));
  });

  it('a URL where nothing listens says so in a sentence, without trying the SSE fallback against it', async () => {
    await sse.stop();
    await host.invoke('servers:save', { definition: { name: 'gone', type: 'http', url: `${sse.origin}/sse` } });
    await waitForState(host, 'gone', 'error', 30_000);
    const gone = (await host.invoke('servers:list', {})).find((s) => s.definition.name === 'gone');
    assert.equal(gone?.error, `Nothing is listening at ${new URL(sse.origin).host}`);
    const logs = await host.invoke('servers:logs', { name: 'gone' });
    assert.ok(!logs.some((entry) => /legacy SSE transport/.test(entry.text)), 'no SSE fallback where nothing listens');
  });
});
