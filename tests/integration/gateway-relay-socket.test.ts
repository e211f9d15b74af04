/**
 * The relay's way into the host (RelayListener): what an attacker on the same machine can send to
 * the relay port without the relay token, what a misbehaving peer sends after it, and what the app
 * behind a relay sees when Sluice goes away in the middle of a call.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { readDiscovery, type Discovery } from '../../electron/core/gateway/discovery.js';
import { MAX_UNIDENTIFIED_CONNECTIONS, relayHandshakeLine } from '../../electron/core/gateway/relay-listener.js';
import { childEnv, FIXTURES_DIR } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHost, stdioFixture, tempDir, waitForState } from '../helpers/test-host.js';

const REPO_ROOT = path.resolve(FIXTURES_DIR, '..', '..');
const RELAY_SOURCE = path.join(REPO_ROOT, 'electron', 'web', 'mcp-stdio.ts');
const GATEWAY_SERVER = path.join(FIXTURES_DIR, 'gateway-server.ts');

/** Connects to the relay port, sends `bytes`, and collects what comes back until the host closes the socket. */
function exchange(port: number, bytes: string | Buffer): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, 8_000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.write(bytes);
  });
}

describe('relay port: nothing reaches MCP without the relay token', () => {
  let host: SluiceHost;
  let discovery: Discovery;

  before(async () => {
    const dataDir = tempDir();
    host = await startTestHost(dataDir);
    const found = await readDiscovery(dataDir);
    assert.ok(found, 'the discovery file names the relay port');
    discovery = found;
  });
  after(() => host.close());

  it('refuses a wrong token in one sentence and closes', async () => {
    const { text, closed } = await exchange(discovery.relayPort, relayHandshakeLine('x'.repeat(43)));
    assert.ok(closed);
    assert.deepEqual(JSON.parse(text), { ok: false, message: 'Sluice: refused, this relay token is not valid.' });
  });

  it("refuses an app's HTTP token: the relay port takes the relay's own token only", async () => {
    const { token } = await host.invoke('gateway:createToken', { label: 'cursor' });
    const { text, closed } = await exchange(discovery.relayPort, relayHandshakeLine(token));
    assert.ok(closed);
    assert.equal((JSON.parse(text) as { ok: boolean }).ok, false);
  });

  it('refuses an HTTP request (a web page or a confused client) before reading any MCP', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    const { text, closed } = await exchange(
      discovery.relayPort,
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n${initialize}\n`,
    );
    assert.ok(closed);
    assert.equal((JSON.parse(text.split('\n')[0] ?? '') as { ok: boolean }).ok, false);
    assert.ok(!text.includes('"jsonrpc"'), `no MCP answer: ${text}`);
  });

  it('refuses a handshake longer than its bound without waiting for the end of it', async () => {
    const { text, closed } = await exchange(discovery.relayPort, 'x'.repeat(10_000));
    assert.ok(closed);
    assert.match(text, /too long/);
  });

  it('closes connections past the bound on those still in their handshake at once, and serves again once they go', async () => {
    const silent = await Promise.all(
      Array.from(
        { length: MAX_UNIDENTIFIED_CONNECTIONS },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port: discovery.relayPort }, () => resolve(socket));
            socket.on('error', () => undefined);
          }),
      ),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the host has accepted them all
      const started = Date.now();
      const { text, closed } = await exchange(discovery.relayPort, relayHandshakeLine(discovery.token));
      assert.ok(closed && text === '', `one more is closed unanswered (got ${JSON.stringify(text)})`);
      assert.ok(Date.now() - started < 2_000, 'at once, not after the handshake timeout');
    } finally {
      for (const socket of silent) socket.destroy();
    }
    await eventually('the relay port serves again', async () => {
      const { text } = await exchange(discovery.relayPort, relayHandshakeLine('z'.repeat(43)));
      return text.includes('not valid');
    });
  });

  it('closes a session whose message passes the size bound, and the host keeps serving others', async () => {
    const socket = connect({ host: '127.0.0.1', port: discovery.relayPort });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(relayHandshakeLine(discovery.token));
    // 5 MiB without a newline: past the 4 MiB bound on one message.
    socket.write(Buffer.alloc(5 * 1024 * 1024, 0x61));
    await closed;
    const { text } = await exchange(discovery.relayPort, relayHandshakeLine('y'.repeat(43)));
    assert.match(text, /not valid/);
  });
});

describe('relay: Sluice going away in the middle of a call', () => {
  it('answers the waiting call with a sentence, and the relay ends', async () => {
    const dataDir = tempDir();
    const host = await startTestHost(dataDir);
    let hostClosed = false;
    try {
      await host.invoke('servers:save', { definition: stdioFixture('gw', GATEWAY_SERVER) });
      await waitForState(host, 'gw', 'connected');
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', RELAY_SOURCE, '--data-dir', dataDir, '--no-start'],
        env: childEnv(),
        cwd: REPO_ROOT,
        stderr: 'pipe',
      });
      const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
      await client.connect(transport);
      let relayEnded = false;
      transport.onclose = () => void (relayEnded = true);
      // Settled as soon as the relay answers, which may be before the host's close() returns.
      const outcome = client.callTool({ name: 'gw__slow', arguments: { steps: 200 } }).then(
        () => new Error('the call succeeded'),
        (error: Error) => error,
      );
      await eventually('the call reached the host', async () =>
        (await host.invoke('gateway:status', {})).apps.some((app) => app.name === 'Claude Desktop' && app.calls > 0),
      );
      await host.close();
      hostClosed = true;
      assert.match((await outcome).message, /Sluice closed the connection \(it quit or restarted\)/);
      await eventually('the relay process ended', () => relayEnded);
    } finally {
      if (!hostClosed) await host.close();
    }
  });
});
