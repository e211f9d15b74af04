/**
 * The renderer's state slices (renderer/src/state/) under plain Node with a fake host: loading at
 * start and after a reconnect, the host's events, and actions racing what the user does meanwhile.
 * (The request queue has its own file: request-queue.test.ts.)
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ServerDefinitionSchema, ServerStatusSchema, type ServerStatus } from '../../shared/domain.js';
import { refreshAll, resetState, startSluice } from '../../renderer/src/state/index.js';
import { setView, useApp } from '../../renderer/src/state/app.js';
import { focusProvider, useProviders } from '../../renderer/src/state/providers.js';
import { openImport, useServerFeatures } from '../../renderer/src/state/server-browse.js';
import { openServerForm, removeServer, saveServer, selectServer, useServers } from '../../renderer/src/state/servers.js';
import { useSamplingExtras } from '../../renderer/src/state/sampling-settings.js';
import { loadHistory, useHistory } from '../../renderer/src/state/history.js';
import { fakeHost, settled, type FakeHost } from '../helpers/fake-sluice-api.js';

function server(name: string, state: ServerStatus['state'] = 'connected'): ServerStatus {
  return ServerStatusSchema.parse({ definition: { name, type: 'stdio', command: 'node', args: [] }, state });
}

const toasts = () => useApp.getState().toasts.map((t) => `${t.kind}: ${t.text}`);

describe('renderer state slices', () => {
  let host: FakeHost;
  let stop: () => void;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    resetState();
  });

  afterEach(() => {
    stop();
    mock.timers.reset();
  });

  const start = async (answers: Parameters<typeof fakeHost>[0] = {}) => {
    host = fakeHost(answers);
    stop = startSluice(host.api);
    await settled();
  };

  it('loads everything at start, each slice from its own channel', async () => {
    await start({
      'servers:list': () => [server('alpha')],
      'providers:list': () => [{ id: 'manual', kind: 'manual', name: 'Manual', hasApiKey: false, models: [] }],
      'sampling:settings': () => ({ paused: true, policies: {} }),
    });
    assert.deepEqual(
      useServers.getState().servers.map((s) => s.definition.name),
      ['alpha'],
    );
    assert.equal(useServers.getState().serversLoaded, true);
    assert.deepEqual(
      useProviders.getState().providers.map((p) => p.name),
      ['Manual'],
    );
    assert.equal(useApp.getState().info?.mode, 'web');
    assert.equal(useSamplingExtras.getState().paused, true);
    // The history is paged on demand: nothing of it is asked for before the History view opens.
    assert.equal(useHistory.getState().loaded, false);
    assert.ok(!host.calls.some((call) => call.channel.startsWith('history:page')), 'no history page at start');
    assert.equal(useApp.getState().loadError, undefined);
  });

  it('says what could not be loaded, and a reload that works clears it', async () => {
    let fail = true;
    await start({
      'servers:list': () => {
        if (fail) throw new Error('servers.json is unreadable');
        return [server('alpha')];
      },
    });
    assert.equal(useApp.getState().loadError, 'Could not load everything from the Sluice host: servers.json is unreadable');
    fail = false;
    await refreshAll();
    assert.equal(useApp.getState().loadError, undefined);
    assert.deepEqual(
      useServers.getState().servers.map((s) => s.definition.name),
      ['alpha'],
    );
  });

  it('follows servers:changed, and shows the lost connection until the transport is back (then reloads)', async () => {
    await start();
    host.emit('servers:changed', [server('alpha', 'connecting'), server('beta')]);
    assert.deepEqual(
      useServers.getState().servers.map((s) => `${s.definition.name} ${s.state}`),
      ['alpha connecting', 'beta connected'],
    );
    host.loseConnection(false);
    assert.deepEqual(useApp.getState().bridgeLost, { newAddress: false });
    const before = host.calls.length;
    host.answers['servers:list'] = () => [server('alpha')];
    host.reconnect();
    await settled();
    assert.equal(useApp.getState().bridgeLost, undefined);
    assert.ok(
      host.calls.slice(before).some((call) => call.channel === 'servers:list'),
      'reloaded after the reconnect',
    );
    assert.deepEqual(
      useServers.getState().servers.map((s) => `${s.definition.name} ${s.state}`),
      ['alpha connected'],
    );
  });

  it('a slow save moves to the saved server only if its form is still open', async () => {
    let finishSave!: () => void;
    await start({ 'servers:save': () => new Promise((resolve) => (finishSave = () => resolve({ ok: true }))) });
    const definition = ServerDefinitionSchema.parse({ name: 'gamma', type: 'stdio', command: 'node' });

    openServerForm({ mode: 'add' });
    let saving = saveServer(definition);
    await settled();
    finishSave();
    await saving;
    assert.equal(useServers.getState().selectedServer, 'gamma');
    assert.equal(useServers.getState().serverForm, null);

    openServerForm({ mode: 'add' });
    saving = saveServer(definition);
    await settled();
    selectServer('alpha'); // the user went elsewhere while the server restarted
    finishSave();
    await saving;
    assert.equal(useServers.getState().selectedServer, 'alpha');
  });

  it('a failed remove says so and keeps the server selected', async () => {
    await start({
      'servers:list': () => [server('alpha')],
      'servers:remove': () => {
        throw new Error('the file is read-only');
      },
    });
    selectServer('alpha');
    await removeServer('alpha');
    assert.deepEqual(toasts(), ['error: Could not remove alpha: the file is read-only']);
    assert.equal(useServers.getState().selectedServer, 'alpha');
  });

  it('picking a server leaves the import panel (server-browse follows the servers slice)', async () => {
    await start({ 'import:scan': () => [] });
    openImport();
    await settled();
    assert.equal(useServerFeatures.getState().importer.step, 'choose');
    selectServer('alpha');
    assert.equal(useServerFeatures.getState().importer.step, 'closed');
  });

  it('a sampling problem shows as a toast with its fix; the "add a key" fix opens that provider', async () => {
    await start();
    host.emit('sampling:problem', {
      serverName: 'alpha',
      message: 'No key for Anthropic',
      fix: { kind: 'add-key', providerId: 'anthropic-1' },
      at: 1,
    });
    assert.deepEqual(toasts(), ['error: alpha: No key for Anthropic']);
    assert.equal(useSamplingExtras.getState().problems.length, 1);
    setView('servers');
    useApp.getState().toasts[0]?.action?.run();
    assert.equal(useApp.getState().view, 'providers');
    assert.equal(useProviders.getState().focusProviderId, 'anthropic-1');
    focusProvider(null);
    assert.equal(useProviders.getState().focusProviderId, null);
  });

  it('new history rows reach an open History view first, each once, and count only when they match', async () => {
    const row = (id: string, decidedAt: number, serverName = 'alpha') => ({
      id,
      kind: 'sampling' as const,
      serverName,
      decidedAt,
      outcome: 'sent',
      edits: 0,
      summary: id,
    });
    await start({
      'history:page': ({ filter }) => ({ rows: filter?.serverName === 'alpha' ? [row('h0', 50)] : [] }),
      'history:count': () => ({ count: 1, total: 5, upTo: 5 }),
      'history:facets': () => ({ servers: ['alpha', 'beta'], apps: [], tools: [], models: [] }),
    });
    // Before the view has loaded a page, new rows are not kept (the view will ask for its page).
    host.emit('history:added', row('early', 60));
    assert.deepEqual(useHistory.getState().rows, []);
    await loadHistory({ serverName: 'alpha' });
    host.emit('history:added', row('h1', 100));
    host.emit('history:added', row('h2', 200));
    host.emit('history:added', row('h1', 100));
    host.emit('history:added', row('b1', 300, 'beta'));
    assert.deepEqual(
      useHistory.getState().rows.map((r) => r.id),
      ['h2', 'h1', 'h0'],
    );
    // Every new entry counts toward the total; only the two that match the filter toward its count.
    assert.deepEqual(useHistory.getState().count, { count: 3, total: 8, upTo: 5 });
  });
});
