/**
 * Robustness: a misbehaving server (malformed and oversized requests, floods, crashes with
 * requests pending) gets proper JSON-RPC errors, and the host keeps serving every other server.
 */
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { MAX_PENDING_PER_SERVER } from '../../electron/core/sampling/broker.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, LEGACY_SERVER, tempLogFile } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { historyEntries, nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const CHAOS_SERVER = path.join(FIXTURES_DIR, 'chaos-server.ts');

/** Answers one ask_model request on the well-behaved server with the manual provider. */
async function legacyStillServed(host: SluiceHost, text: string): Promise<void> {
  const call = host.invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: text } });
  const request = await nextEvent(host, 'sampling:added', (r) => r.serverName === 'legacy');
  await host.invoke('sampling:generate', { id: request.id, params: request.params, model: { providerId: 'manual', model: 'manual' } });
  await host.invoke('sampling:send', {
    id: request.id,
    result: { role: 'assistant', content: { type: 'text', text: `answer to ${text}` }, model: 'manual', stopReason: 'endTurn' },
  });
  const answer = JSON.parse(textOf(await call)) as { content: { text: string } };
  assert.equal(answer.content.text, `answer to ${text}`);
}

describe('a misbehaving server next to a well-behaved one', () => {
  let host: SluiceHost;
  const chaosLog = tempLogFile();

  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('chaos', CHAOS_SERVER, { FIXTURE_LOG: chaosLog }) });
    await host.invoke('servers:save', { definition: stdioFixture('legacy', LEGACY_SERVER) });
    await waitForState(host, 'chaos', 'connected');
    await waitForState(host, 'legacy', 'connected');
  });
  after(async () => {
    await host.close();
  });

  const malformed: Array<[string, unknown]> = [
    ['missing maxTokens', { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] }],
    ['maxTokens of the wrong type', { maxTokens: 'ten', messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] }],
    ['an unknown role', { maxTokens: 10, messages: [{ role: 'system', content: { type: 'text', text: 'hi' } }] }],
    ['messages that are not a list', { maxTokens: 10, messages: 'hi' }],
    ['content of an unknown type', { maxTokens: 10, messages: [{ role: 'user', content: { type: 'hologram' } }] }],
  ];
  for (const [label, params] of malformed) {
    it(`refuses ${label} with invalid params (-32602) without queueing it`, async () => {
      const result = await host.invoke('servers:callTool', {
        name: 'chaos',
        tool: 'raw_sampling',
        arguments: { params: JSON.stringify(params) },
      });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /^SAMPLING_ERROR -32602 /);
      assert.deepEqual(await host.invoke('sampling:list', {}), []);
    });
  }

  it('refuses a 10 MB image with invalid params, naming the limit', async () => {
    const result = await host.invoke('servers:callTool', { name: 'chaos', tool: 'big_image', arguments: { megabytes: 10 } });
    assert.match(
      textOf(result),
      /^SAMPLING_ERROR -32602 Invalid sampling request: image in message 1 is too large: 10\.0 MB \(limit 5\.0 MB\)/,
    );
    const [status] = (await host.invoke('servers:list', {})).filter((s) => s.definition.name === 'chaos');
    assert.equal(status?.state, 'connected', 'the connection survived the oversized message');
  });

  it('refuses 10,000 messages with invalid params', async () => {
    const result = await host.invoke('servers:callTool', { name: 'chaos', tool: 'many_messages', arguments: { count: 10_000 } });
    assert.match(textOf(result), /^SAMPLING_ERROR -32602 Invalid sampling request: too many messages: 10000 \(limit 1000\)/);
  });

  it('keeps serving the other server after all that', async () => {
    await legacyStillServed(host, 'after malformed input');
  });

  it('a flood of 1,000 requests in a second: the queue keeps the newest few, the rest are refused, every one is answered, and the other server is still served', async () => {
    const fired = await host.invoke('servers:callTool', { name: 'chaos', tool: 'flood', arguments: { count: 1000, perSecond: 1000 } });
    assert.match(textOf(fired), /^FIRED 1000 /);
    // The pending queue is capped per server: past the cap the oldest is refused with an error that says why.
    const refusedForCap = 1000 - MAX_PENDING_PER_SERVER;
    await eventually(
      'the flood past the cap refused',
      () => readFixtureLog(chaosLog).filter((entry) => entry.tool === 'flood').length === refusedForCap,
      { timeoutMs: 60_000 },
    );
    const waiting = (await host.invoke('sampling:list', {})).filter((request) => request.serverName === 'chaos');
    assert.equal(waiting.length, MAX_PENDING_PER_SERVER);
    await legacyStillServed(host, 'during the flood');
    for (const request of waiting) {
      await host.invoke('sampling:reject', { id: request.id, reason: 'flood' });
    }
    await eventually(
      'the server to see 1,000 answers',
      () => readFixtureLog(chaosLog).filter((entry) => entry.tool === 'flood').length === 1000,
      { timeoutMs: 60_000 },
    );
    const errors = readFixtureLog(chaosLog).filter((entry) => entry.tool === 'flood' && !entry.ok);
    assert.equal(errors.length, 1000);
    assert.equal(
      errors.filter((entry) => !entry.ok && entry.error.code === -1).length,
      MAX_PENDING_PER_SERVER,
      'the ones the user rejected',
    );
    assert.ok(
      errors
        .filter((entry) => !entry.ok && entry.error.code !== -1)
        .every((entry) => !entry.ok && /Too many sampling requests waiting/.test(entry.error.message)),
    );
  });

  it('a crash with requests pending fails them cleanly and records them', async () => {
    const added: string[] = [];
    const stop = host.events.on('sampling:added', (request) => {
      if (request.serverName === 'chaos') added.push(request.id);
    });
    const failed = new Map<string, string>();
    const stopRemoved = host.events.on('sampling:removed', (removal) => {
      if (removal.reason === 'failed') failed.set(removal.id, removal.message);
    });
    await host.invoke('servers:callTool', { name: 'chaos', tool: 'crash_with_pending', arguments: { count: 5 } });
    await eventually('the 5 pending requests to fail', () => added.length === 5 && added.every((id) => failed.has(id)), {
      timeoutMs: 60_000,
    });
    stop();
    stopRemoved();
    assert.deepEqual(await host.invoke('sampling:list', {}), []);
    const history = await historyEntries(host);
    const recorded = history.filter((entry) => added.includes(entry.id));
    assert.equal(recorded.length, 5);
    assert.ok(recorded.every((entry) => entry.outcome === 'failed'));
    await legacyStillServed(host, 'after the crash');
  });
});

describe('corrupt files on disk', () => {
  it('are moved aside with a notice, and nothing already recorded is lost', async () => {
    const dataDir = tempDir();
    const first = await startTestHost(dataDir);
    await first.invoke('providers:save', { kind: 'openai-compatible', name: 'Local', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] });
    await first.invoke('servers:save', { definition: { name: 'off', type: 'stdio', command: 'true', enabled: false } });
    // One decision in the history, then the process "crashes" mid-append and files get damaged.
    const call = first.broker.enqueue({ serverName: 'off', route: 'push' }, { maxTokens: 5, messages: [] }).catch(() => undefined);
    const [pending] = first.broker.list();
    assert.ok(pending);
    first.broker.reject(pending.id);
    await call;
    await first.close();
    // A history.db that is not a database at all (the WAL gives crash safety; this is damage).
    writeFileSync(path.join(dataDir, 'history.db'), 'not a database '.repeat(300));
    writeFileSync(path.join(dataDir, 'servers.json'), '{ "mcpServers": { "broken": ');
    writeFileSync(path.join(dataDir, 'providers.json'), '{"providers": "not a list"}');

    const second = await startTestHost(dataDir);
    const { notices } = await second.invoke('app:info', {});
    assert.ok(
      notices.some((n) => /servers\.json could not be read \(not valid JSON/.test(n)),
      notices.join('\n'),
    );
    assert.ok(
      notices.some((n) => /providers\.json could not be read \(providers: /.test(n)),
      notices.join('\n'),
    );
    assert.ok(
      notices.some((n) => /history\.db could not be read .* moved aside/.test(n)),
      notices.join('\n'),
    );
    const files = readdirSync(dataDir);
    const aside = files.filter((name) => /^(servers|providers)\.json\.corrupt-/.test(name));
    assert.equal(aside.length, 2);
    assert.match(readFileSync(path.join(dataDir, aside.find((n) => n.startsWith('servers')) ?? ''), 'utf8'), /"broken"/);
    assert.ok(
      files.some((name) => /^history\.db\.corrupt-\d+$/.test(name)),
      files.join(', '),
    );
    assert.equal((await second.invoke('history:count', { filter: {} })).total, 0, 'a new history was started');
    assert.deepEqual(await second.invoke('servers:list', {}), []);
    await second.close();
  });
});
