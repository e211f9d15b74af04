/**
 * The ipcMain wiring under plain Node: a fake ipcMain records the handlers, a real SluiceHost
 * (temp data dir, no servers) answers, and the checks are what main promises the renderer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, type EventChannel } from '../../shared/contract.js';
import type { SluiceHost } from '../../electron/core/host.js';
import type { IpcEnvelope } from '../../electron/desktop/ipc-envelope.js';
import { isTrustedSender, relayEvents, wireIpc, type IpcMainLike, type SenderInfo } from '../../electron/desktop/ipc.js';
import { startTestHost } from '../helpers/test-host.js';

type Handler = (event: SenderInfo, ...args: unknown[]) => Promise<IpcEnvelope>;

class FakeIpcMain implements IpcMainLike<SenderInfo> {
  readonly handlers = new Map<string, Handler>();
  readonly registrations: string[] = [];
  handle(channel: string, listener: Handler): void {
    // Electron throws on a second handler for one channel; so do we.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.registrations.push(channel);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  call(channel: string, event: SenderInfo, ...args: unknown[]): Promise<IpcEnvelope> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

const RENDERER_URL = 'file:///opt/Sluice/resources/app.asar/dist/renderer/index.html';
const ourContents = { id: 1 };
const trusted: SenderInfo = { sender: ourContents, senderFrame: { url: RENDERER_URL, parent: null } };

describe('IPC wiring (desktop/ipc.ts)', () => {
  let host: SluiceHost;
  let ipc: FakeIpcMain;
  let logged: string[];
  let unwire: () => void;

  before(async () => {
    host = await startTestHost();
    ipc = new FakeIpcMain();
    logged = [];
    unwire = wireIpc({
      ipcMain: ipc,
      host,
      isTrustedSender: (event) => isTrustedSender(event, ourContents, RENDERER_URL),
      log: (message) => logged.push(message),
    });
  });

  after(async () => {
    await host.close();
  });

  it('registers every contract invoke channel exactly once, and nothing else', () => {
    assert.deepEqual([...ipc.registrations].sort(), [...INVOKE_CHANNEL_NAMES].sort());
    assert.equal(new Set(ipc.registrations).size, ipc.registrations.length);
  });

  it('forwards a valid request to the host and wraps the answer', async () => {
    const reply = await ipc.call('app:info', trusted, {});
    assert.equal(reply.ok, true);
    assert.deepEqual(await ipc.call('servers:list', trusted, {}), { ok: true, value: [] });
  });

  it('rejects an invalid payload with an error, logs it with the channel, and keeps serving', async () => {
    const reply = await ipc.call('servers:remove', trusted, { name: 42, extra: true });
    assert.equal(reply.ok, false);
    assert.match(reply.ok ? '' : reply.error, /Invalid payload for servers:remove/);
    assert.match(logged.at(-1) ?? '', /invalid payload on servers:remove/);

    for (const payload of ['a string', 7, [1, 2], { definition: { name: '' } }]) {
      const bad = await ipc.call('servers:save', trusted, payload);
      assert.equal(bad.ok, false, `payload ${JSON.stringify(payload)}`);
    }
    // Main is still fine.
    assert.equal((await ipc.call('history:usage', trusted, {})).ok, true);
  });

  it('reports handler errors (not payload errors) without logging them as invalid', async () => {
    const before = logged.length;
    const reply = await ipc.call('sampling:reject', trusted, { id: 'no-such-request' });
    assert.equal(reply.ok, false);
    assert.equal(logged.length, before);
  });

  it('refuses untrusted senders before touching the host', async () => {
    const cases: SenderInfo[] = [
      { sender: { id: 2 }, senderFrame: { url: RENDERER_URL, parent: null } }, // another web contents
      { sender: ourContents, senderFrame: { url: RENDERER_URL, parent: { url: RENDERER_URL } } }, // a subframe
      { sender: ourContents, senderFrame: { url: 'https://evil.example/index.html', parent: null } },
      { sender: ourContents, senderFrame: { url: 'file:///home/me/Downloads/index.html', parent: null } },
      { sender: ourContents, senderFrame: null }, // the frame is gone
    ];
    for (const event of cases) {
      assert.deepEqual(await ipc.call('app:info', event, {}), { ok: false, error: 'Untrusted sender' });
    }
    assert.match(logged.at(-1) ?? '', /refused app:info from an untrusted sender/);
  });

  it('accepts our page with a query or hash', () => {
    assert.equal(
      isTrustedSender({ sender: ourContents, senderFrame: { url: `${RENDERER_URL}#/history`, parent: null } }, ourContents, RENDERER_URL),
      true,
    );
    assert.equal(isTrustedSender(trusted, undefined, RENDERER_URL), false, 'no window: nobody is trusted');
  });

  it('never throws, even when the sender check itself does', async () => {
    const ipc2 = new FakeIpcMain();
    wireIpc({
      ipcMain: ipc2,
      host,
      isTrustedSender: () => {
        throw new Error('frame disposed');
      },
      log: () => undefined,
    });
    assert.deepEqual(await ipc2.call('app:info', trusted, {}), { ok: false, error: 'frame disposed' });
  });

  it('removes its handlers again', () => {
    unwire();
    assert.equal(ipc.handlers.size, 0);
  });
});

describe('event relay', () => {
  it('forwards every contract event channel, and survives a failing send', async () => {
    const host = await startTestHost();
    const sent: EventChannel[] = [];
    const logged: string[] = [];
    const stop = relayEvents(
      host.events,
      (channel) => {
        sent.push(channel);
        if (channel === 'servers:changed') throw new Error('window destroyed');
      },
      (message) => logged.push(message),
    );
    for (const channel of EVENT_CHANNEL_NAMES) host.events.emit(channel, {} as never);
    assert.deepEqual(sent, EVENT_CHANNEL_NAMES);
    assert.deepEqual(logged, ['sluice: could not deliver servers:changed: window destroyed']);
    stop();
    host.events.emit('history:added', {} as never);
    assert.equal(sent.length, EVENT_CHANNEL_NAMES.length);
    await host.close();
  });
});
