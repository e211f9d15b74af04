/**
 * The preload's surface: `window.sluice` is exactly `{ invoke, on, onReconnect }`, serves exactly the
 * contract's channels, and nothing of Electron leaks through. Checked twice: the pure
 * `createPreloadApi` against a fake ipcRenderer, and the real preload bundle (built in memory as
 * scripts/build.mjs builds it) run with a fake `electron` module, as a sandboxed preload runs.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, type SluiceApi } from '../../shared/contract.js';
import { createPreloadApi, PRELOAD_API_KEYS, type IpcRendererLike } from '../../electron/desktop/preload-api.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer implements IpcRendererLike {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, Set<Listener>>();
  reply: (channel: string, args: unknown[]) => unknown = (channel) => ({ ok: true, value: { echo: channel } });

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.reply(channel, args);
  }
  on(channel: string, listener: Listener): this {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, payload: unknown): void {
    const event = { sender: { secret: 'the IPC event must not reach the page' } };
    for (const listener of this.listeners.get(channel) ?? []) listener(event, payload);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

/** Calls the API with a channel name the contract does not have (the types forbid it; a page could try). */
const untyped = (api: SluiceApi) =>
  api as unknown as {
    invoke(channel: string, request: unknown): Promise<unknown>;
    on(channel: string, listener: (payload: unknown) => void): () => void;
  };

describe('createPreloadApi', () => {
  it('has exactly the keys invoke, on and onReconnect, frozen', () => {
    const api = createPreloadApi(new FakeIpcRenderer());
    assert.deepEqual(Object.keys(api).sort(), [...PRELOAD_API_KEYS].sort());
    assert.deepEqual([...PRELOAD_API_KEYS].sort(), ['invoke', 'on', 'onReconnect']);
    assert.ok(Object.isFrozen(api));
    for (const key of PRELOAD_API_KEYS) assert.equal(typeof api[key], 'function');
  });

  it('round-trips every contract invoke channel, passing only the request', async () => {
    const ipc = new FakeIpcRenderer();
    const api = untyped(createPreloadApi(ipc));
    for (const channel of INVOKE_CHANNEL_NAMES) {
      assert.deepEqual(await api.invoke(channel, { probe: channel }), { echo: channel });
    }
    assert.deepEqual(
      ipc.invocations,
      INVOKE_CHANNEL_NAMES.map((channel) => ({ channel, args: [{ probe: channel }] })),
    );
  });

  it('rejects a non-contract channel without touching IPC', async () => {
    const ipc = new FakeIpcRenderer();
    const api = untyped(createPreloadApi(ipc));
    for (const channel of ['shell:openExternal', 'servers:list ', '__proto__', 'constructor', 'sampling:added']) {
      await assert.rejects(api.invoke(channel, {}), /Unknown channel/);
    }
    assert.equal(ipc.invocations.length, 0);
  });

  it('turns an error envelope into a rejection with its message, and refuses malformed replies', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createPreloadApi(ipc);
    ipc.reply = () => ({ ok: false, error: 'Invalid payload for servers:remove: ✖ name' });
    await assert.rejects(api.invoke('servers:remove', { name: 'x' }), { message: 'Invalid payload for servers:remove: ✖ name' });
    ipc.reply = () => undefined;
    await assert.rejects(api.invoke('app:info', {}), /Malformed reply on app:info/);
  });

  it('subscribes to every contract event, hands the listener only the payload, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const api = untyped(createPreloadApi(ipc));
    for (const channel of EVENT_CHANNEL_NAMES) {
      const received: unknown[][] = [];
      const off = api.on(channel, (...args: unknown[]) => received.push(args));
      ipc.emit(channel, { for: channel });
      assert.deepEqual(received, [[{ for: channel }]]);
      off();
      ipc.emit(channel, { for: channel });
      assert.equal(received.length, 1);
    }
    assert.equal(ipc.listenerCount(), 0);
  });

  it('throws for a non-contract event channel', () => {
    const ipc = new FakeIpcRenderer();
    const api = untyped(createPreloadApi(ipc));
    for (const channel of ['app:info', 'ELECTRON_BROWSER_WINDOW_ALERT', 'hasOwnProperty']) {
      assert.throws(() => api.on(channel, () => undefined), /Unknown event/);
    }
    assert.equal(ipc.listenerCount(), 0);
  });
});

describe('the built preload script', () => {
  it('exposes exactly window.sluice = { invoke, on, onReconnect } and requires nothing but electron', async () => {
    // The same options as scripts/build.mjs: a sandboxed preload can only require('electron').
    const result = await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: [path.join(REPO_ROOT, 'electron', 'preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text;
    assert.ok(code);

    const ipc = new FakeIpcRenderer();
    const exposed: Array<{ key: string; api: unknown }> = [];
    const required: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
      ipcRenderer: ipc,
    };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return fakeElectron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    const run = vm.runInThisContext(`(function (require, module, exports) {${code}\n})`, { filename: 'preload.cjs' }) as (
      require: (id: string) => unknown,
      module: { exports: unknown },
      exports: unknown,
    ) => void;
    run(sandboxRequire, module, module.exports);

    assert.deepEqual(required, ['electron']);
    assert.equal(exposed.length, 1, 'exposeInMainWorld is called exactly once');
    const [{ key, api } = { key: '', api: undefined }] = exposed;
    assert.equal(key, 'sluice');
    assert.deepEqual(Object.keys(api as object).sort(), ['invoke', 'on', 'onReconnect']);

    const sluice = api as SluiceApi;
    assert.deepEqual(await sluice.invoke('app:info', {}), { echo: 'app:info' });
    await assert.rejects(untyped(sluice).invoke('not:a-channel', {}), /Unknown channel/);
    assert.deepEqual(
      ipc.invocations.map((call) => call.channel),
      ['app:info'],
    );
  });
});
