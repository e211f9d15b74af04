/**
 * The slices behind the Connect apps view and a server's Gateway, Tool calls and Roots sections
 * (state/gateway.ts, state/toolcalls.ts, state/roots.ts, sign-in and auth settings in
 * state/servers.ts) under plain Node with a fake host: what they load, which events they follow,
 * what reaches the host, and where a failure shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerStatusSchema, type ServerStatus } from '../../shared/domain.js';
import type { GatewayStatus } from '../../shared/gateway.js';
import { useApp } from '../../renderer/src/state/app.js';
import {
  configureGateway,
  createAppToken,
  gatewayServers,
  previewAppConfig,
  refreshGateway,
  useGateway,
  writeAppConfig,
} from '../../renderer/src/state/gateway.js';
import {
  loadExposures,
  loadToolPolicy,
  saveExposure,
  setToolPreset,
  setToolRule,
  useToolCalls,
  watchToolPolicy,
} from '../../renderer/src/state/toolcalls.js';
import { loadRoots, saveRoots, useRoots } from '../../renderer/src/state/roots.js';
import { loadAuthSettings, saveAuthSettings, signIn, useServers } from '../../renderer/src/state/servers.js';
import { settled, type FakeAnswers, type FakeHost } from '../helpers/fake-sluice-api.js';
import { freshRendererState } from '../helpers/renderer-state-harness.js';

function server(name: string, state: ServerStatus['state'] = 'connected', extra: Record<string, unknown> = {}): ServerStatus {
  return ServerStatusSchema.parse({ definition: { name, type: 'stdio', command: 'node', args: [], ...extra }, state });
}

function gatewayStatus(patch: Partial<GatewayStatus> = {}): GatewayStatus {
  return {
    settings: { enabled: true, port: 7345 },
    listening: true,
    url: 'http://127.0.0.1:7345/mcp',
    apps: [],
    tokens: [],
    relay: { command: 'sluice', args: ['--relay'] },
    ...patch,
  };
}

const toasts = () => useApp.getState().toasts.map((t) => `${t.kind}: ${t.text}`);
const callsTo = (host: FakeHost, channel: string) => host.calls.filter((call) => call.channel === channel).map((call) => call.request);

describe('gateway, tool-call settings and roots slices', () => {
  let host: FakeHost;
  const state = freshRendererState();
  const start = async (answers: FakeAnswers = {}) => {
    host = await state.start(answers);
  };

  it('loads the gateway status at start and follows gateway:changed', async () => {
    await start({ 'gateway:status': () => gatewayStatus() });
    assert.equal(useGateway.getState().status?.url, 'http://127.0.0.1:7345/mcp');
    host.emit(
      'gateway:changed',
      gatewayStatus({
        apps: [{ sessionId: 's1', name: 'Cursor', version: '1.0', via: 'http', tokenLabel: 'laptop', connectedAt: 1, calls: 3 }],
      }),
    );
    assert.deepEqual(
      useGateway.getState().status?.apps.map((app) => `${app.name} ${app.calls}`),
      ['Cursor 3'],
    );
    host.emit('gateway:changed', gatewayStatus({ listening: false, url: undefined, error: 'Port 7345 is in use' }));
    assert.equal(useGateway.getState().status?.listening, false);
    assert.equal(useGateway.getState().status?.error, 'Port 7345 is in use');
  });

  it('keeps a status that cannot be loaded in the view, not in the app-wide banner', async () => {
    await start({
      'gateway:status': () => {
        throw new Error('gateway.json is unreadable');
      },
    });
    assert.equal(useGateway.getState().error, 'gateway.json is unreadable');
    assert.equal(useGateway.getState().status, undefined);
    assert.equal(useApp.getState().loadError, undefined);
    host.answers['gateway:status'] = () => gatewayStatus();
    await refreshGateway();
    assert.equal(useGateway.getState().error, undefined);
    assert.equal(useGateway.getState().status?.listening, true);
  });

  it('returns a created token once and keeps it nowhere in the state', async () => {
    await start({ 'gateway:createToken': ({ label }) => ({ token: `secret-for-${label}`, id: 't1' }) });
    const token = await createAppToken('Cursor on my laptop');
    assert.equal(token, 'secret-for-Cursor on my laptop');
    assert.deepEqual(callsTo(host, 'gateway:createToken'), [{ label: 'Cursor on my laptop' }]);
    for (const slice of [useGateway, useToolCalls, useServers, useApp] as const) {
      assert.ok(!JSON.stringify(slice.getState()).includes('secret-for'), 'the secret is not kept in a slice');
    }
  });

  it('toasts a refused token or port and returns nothing', async () => {
    await start({
      'gateway:createToken': () => {
        throw new Error('Name the app this token is for');
      },
      'gateway:configure': () => {
        throw new Error('Port 80 needs privileges');
      },
    });
    assert.equal(await createAppToken(' '), undefined);
    await configureGateway({ port: 80 });
    assert.deepEqual(callsTo(host, 'gateway:configure'), [{ port: 80 }]);
    assert.deepEqual(toasts(), ['error: Name the app this token is for', 'error: Port 80 needs privileges']);
  });

  it('previews an HTTP app with its own token, reuses it after a failed preview, and writes with it', async () => {
    let previewFails = true;
    await start({
      'gateway:createToken': ({ label }) => ({ token: `tok-${label}`, id: 't1' }),
      'gateway:previewAppConfig': ({ app }) => {
        if (previewFails) throw new Error('~/.cursor/mcp.json is not JSON');
        return { app, path: '/home/u/.cursor/mcp.json', exists: true, hasEntry: false, diff: ['+ "sluice": {…}'] };
      },
      'gateway:writeAppConfig': () => ({ path: '/home/u/.cursor/mcp.json', backup: '/home/u/.cursor/mcp.json.bak' }),
    });
    const cursor = {
      app: 'cursor',
      label: 'Cursor',
      path: '~/.cursor/mcp.json',
      transport: 'http',
      snippet: '{}',
      where: 'Paste it.',
    } as const;
    const failed = await previewAppConfig(cursor, undefined);
    assert.deepEqual(failed, { token: 'tok-Cursor' });
    assert.deepEqual(toasts(), ['error: ~/.cursor/mcp.json is not JSON']);
    previewFails = false;
    const again = await previewAppConfig(cursor, failed.token);
    assert.equal(again.preview?.path, '/home/u/.cursor/mcp.json');
    assert.equal(callsTo(host, 'gateway:createToken').length, 1, 'no second token for a retry');
    assert.deepEqual(callsTo(host, 'gateway:previewAppConfig').at(-1), { app: 'cursor', token: 'tok-Cursor' });
    assert.equal(await writeAppConfig(cursor, again.token, false), true);
    assert.deepEqual(callsTo(host, 'gateway:writeAppConfig'), [{ app: 'cursor', token: 'tok-Cursor', replace: false }]);
    assert.equal(
      toasts().at(-1),
      'success: Added Sluice to Cursor (/home/u/.cursor/mcp.json); the previous file is in /home/u/.cursor/mcp.json.bak. Restart Cursor to use it.',
    );
    // A stdio app goes through the relay: no token.
    const claude = { ...cursor, app: 'claude-desktop', label: 'Claude Desktop', transport: 'stdio' } as const;
    assert.equal((await previewAppConfig(claude, undefined)).token, undefined);
    assert.equal(JSON.stringify(callsTo(host, 'gateway:previewAppConfig').at(-1)), '{"app":"claude-desktop"}');
  });

  it('lists the enabled servers as the gateway exposes them', () => {
    const views = gatewayServers([
      server('alpha'),
      server('beta', 'connecting'),
      server('hidden', 'connected', { gateway: { exposed: false } }),
      server('off', 'connected', { enabled: false }),
    ]);
    assert.deepEqual(views, [
      { name: 'alpha', connected: true, exposed: true },
      { name: 'beta', connected: false, exposed: true },
      { name: 'hidden', connected: true, exposed: false },
    ]);
  });

  it('saves an exposure with the token and the lists, shows it at once, and follows settingsChanged', async () => {
    let finish!: () => void;
    await start({
      'toolCalls:settings': () => ({ servers: {}, exposure: { relay: { hiddenServers: ['alpha'], hiddenTools: {} } } }),
      'toolCalls:setExposure': () => new Promise((resolve) => (finish = () => resolve({ ok: true }))),
    });
    await loadExposures();
    assert.deepEqual(useToolCalls.getState().exposures, { relay: { hiddenServers: ['alpha'], hiddenTools: {} } });
    const next = { hiddenServers: [], hiddenTools: { alpha: ['delete_file'] } };
    const saving = saveExposure('t1', next);
    assert.deepEqual(useToolCalls.getState().exposures.t1, next, 'shown before the host answers');
    finish();
    await saving;
    assert.deepEqual(callsTo(host, 'toolCalls:setExposure'), [{ tokenId: 't1', exposure: next }]);
    host.emit('toolCalls:settingsChanged', { servers: {}, exposure: { t1: { hiddenServers: ['beta'], hiddenTools: {} } } });
    assert.deepEqual(useToolCalls.getState().exposures, { t1: { hiddenServers: ['beta'], hiddenTools: {} } });
  });

  it('reads the gateway, the exposures and a shown tool table again after a reconnect', async () => {
    await start({
      'servers:list': () => [server('alpha')],
      'toolCalls:settings': () => ({ servers: {}, exposure: {} }),
      'toolCalls:serverTools': () => ({ preset: 'allow-all', tools: [] }),
      'roots:get': () => ({ global: [], servers: {}, canPickFolder: false }),
    });
    await loadExposures();
    await loadRoots();
    const unwatch = watchToolPolicy('alpha');
    await settled();
    const before = host.calls.length;
    host.reconnect();
    await settled();
    const again = host.calls.slice(before).map((call) => call.channel);
    for (const channel of ['gateway:status', 'toolCalls:settings', 'toolCalls:serverTools', 'roots:get'] as const) {
      assert.ok(again.includes(channel), `${channel} read again: ${again.join(', ')}`);
    }
    unwatch();
  });

  it('toasts a refused exposure and shows the saved one again', async () => {
    await start({
      'toolCalls:settings': () => ({ servers: {}, exposure: {} }),
      'toolCalls:setExposure': () => {
        throw new Error('Unknown token t9');
      },
    });
    await saveExposure('t9', { hiddenServers: ['alpha'], hiddenTools: {} });
    assert.deepEqual(toasts(), ['error: Unknown token t9']);
    assert.deepEqual(useToolCalls.getState().exposures, {});
  });

  it('says in the panel when the exposures cannot be read', async () => {
    await start({
      'toolCalls:settings': () => {
        throw new Error('tool-calls.json is unreadable');
      },
    });
    await loadExposures();
    assert.equal(useToolCalls.getState().exposureError, 'tool-calls.json is unreadable');
    host.answers['toolCalls:settings'] = () => ({ servers: {}, exposure: { t1: { hiddenServers: ['alpha'], hiddenTools: {} } } });
    await loadExposures();
    assert.equal(useToolCalls.getState().exposureError, undefined);
    assert.deepEqual(Object.keys(useToolCalls.getState().exposures), ['t1']);
  });

  it("loads a connected server's tool table, sends preset and rule changes, and reloads on the host's events", async () => {
    let preset: 'allow-all' | 'ask-all' = 'allow-all';
    await start({
      'servers:list': () => [server('alpha'), server('beta', 'connecting')],
      'toolCalls:serverTools': () => ({ preset, tools: [{ name: 'read', effective: preset === 'ask-all' ? 'ask' : 'allow' }] }),
      'toolCalls:setPreset': (request) => {
        preset = request.preset as typeof preset;
        return { ok: true };
      },
      'toolCalls:setToolRule': () => ({ ok: true }),
    });
    await loadToolPolicy('beta');
    assert.equal(callsTo(host, 'toolCalls:serverTools').length, 0, 'a server that is not connected has no table to load');
    const unwatch = watchToolPolicy('alpha');
    await settled();
    assert.deepEqual(useToolCalls.getState().policies.alpha, {
      preset: 'allow-all',
      rows: [{ name: 'read', effective: 'allow' }],
      error: undefined,
    });
    await setToolPreset('alpha', 'ask-all');
    assert.deepEqual(callsTo(host, 'toolCalls:setPreset'), [{ serverName: 'alpha', preset: 'ask-all' }]);
    assert.equal(useToolCalls.getState().policies.alpha?.preset, 'ask-all');
    assert.equal(useToolCalls.getState().policies.alpha?.rows?.[0]?.effective, 'ask');
    await setToolRule('alpha', 'read', undefined);
    assert.equal(JSON.stringify(callsTo(host, 'toolCalls:setToolRule')), '[{"serverName":"alpha","tool":"read"}]');
    const before = callsTo(host, 'toolCalls:serverTools').length;
    host.emit('servers:listChanged', { name: 'alpha', kind: 'tools' });
    host.emit('toolCalls:settingsChanged', { servers: {}, exposure: {} });
    await settled();
    assert.equal(callsTo(host, 'toolCalls:serverTools').length, before + 2);
    // Once no view shows the table, the host's events no longer read it again.
    unwatch();
    host.emit('toolCalls:settingsChanged', { servers: {}, exposure: {} });
    host.emit('servers:listChanged', { name: 'alpha', kind: 'tools' });
    await settled();
    assert.equal(callsTo(host, 'toolCalls:serverTools').length, before + 2);
  });

  it("shows a refused rule change in the server's table", async () => {
    await start({
      'servers:list': () => [server('alpha')],
      'toolCalls:serverTools': () => ({ preset: 'allow-all', tools: [{ name: 'read', effective: 'allow' }] }),
      'toolCalls:setToolRule': () => {
        throw new Error('No tool named nope');
      },
    });
    await loadToolPolicy('alpha');
    await setToolRule('alpha', 'nope', 'deny');
    assert.equal(useToolCalls.getState().policies.alpha?.error, 'No tool named nope');
    assert.deepEqual(useToolCalls.getState().policies.alpha?.rows, [{ name: 'read', effective: 'allow' }], 'the table stays');
  });

  it("saves a server's roots and every server's, and reads them again; a refusal is toasted", async () => {
    let saved = { global: [] as Array<{ path: string }>, servers: {} as Record<string, Array<{ path: string }>> };
    await start({
      'roots:get': () => ({ ...saved, canPickFolder: false }),
      'roots:setServer': ({ name, roots }) => {
        saved = { ...saved, servers: { ...saved.servers, [name]: roots } };
        return { ok: true };
      },
      'roots:setGlobal': () => {
        throw new Error('/nope is not a folder');
      },
    });
    await loadRoots();
    assert.deepEqual(useRoots.getState().roots, { global: [], servers: {}, canPickFolder: false });
    assert.equal(await saveRoots('alpha', [{ path: '/work' }]), true);
    await settled();
    assert.deepEqual(callsTo(host, 'roots:setServer'), [{ name: 'alpha', roots: [{ path: '/work' }] }]);
    assert.deepEqual(useRoots.getState().roots?.servers, { alpha: [{ path: '/work' }] });
    assert.equal(await saveRoots(null, [{ path: '/nope' }]), false);
    assert.deepEqual(callsTo(host, 'roots:setGlobal'), [{ roots: [{ path: '/nope' }] }]);
    assert.deepEqual(toasts(), ['error: Could not save the folders: /nope is not a folder']);
  });

  it('says why the roots could not be loaded', async () => {
    await start({
      'roots:get': () => {
        throw new Error('roots.json is unreadable');
      },
    });
    await loadRoots();
    assert.equal(useRoots.getState().loadError, 'roots.json is unreadable');
  });

  it('starts a sign-in (giving back the page to open) and toasts one that fails', async () => {
    let fail = false;
    await start({
      'servers:signIn': () => {
        if (fail) throw new Error('The server has no authorization endpoint');
        return { ok: true, authorizationUrl: 'https://auth.example/authorize?x=1' };
      },
    });
    assert.deepEqual(await signIn('remote'), { authorizationUrl: 'https://auth.example/authorize?x=1' });
    assert.deepEqual(callsTo(host, 'servers:signIn'), [{ name: 'remote' }]);
    fail = true;
    assert.equal(await signIn('remote'), undefined);
    assert.deepEqual(toasts(), ['error: Could not start signing in to remote: The server has no authorization endpoint']);
  });

  it('sets and clears the app-wide client metadata document', async () => {
    let stored: string | undefined;
    await start({
      'auth:settings': () => ({ ...(stored ? { clientMetadataUrl: stored } : {}) }),
      'auth:setSettings': (request) => {
        stored = request.clientMetadataUrl;
        return { ok: true };
      },
    });
    assert.deepEqual(await loadAuthSettings(), {});
    const saved = await saveAuthSettings('https://sluice.example/client.json');
    assert.equal(saved.clientMetadataUrl, 'https://sluice.example/client.json');
    assert.equal(useServers.getState().authSettings?.clientMetadataUrl, 'https://sluice.example/client.json');
    await saveAuthSettings('');
    assert.deepEqual(callsTo(host, 'auth:setSettings'), [{ clientMetadataUrl: 'https://sluice.example/client.json' }, {}]);
    assert.equal(useServers.getState().authSettings?.clientMetadataUrl, undefined);
  });
});
