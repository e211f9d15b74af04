/** Web mode's door: the token, the origin check, and the contract over the WebSocket. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { SluiceHost } from '../../electron/core/host.js';
import { frameText, startWebBridge, type WebBridge } from '../../electron/web/server.js';
import { REPO_ROOT } from '../helpers/web-mode.js';
import { startTestHost, tempDir } from '../helpers/test-host.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { spawnSync } from 'node:child_process';

/** Opens a socket; resolves once it is open (before any hello). */
function openSocket(url: string, options: { origin?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      ...(options.origin && { origin: options.origin }),
      ...(options.host && { headers: { host: options.host } }),
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

function call(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(frameText(data))));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

/** A raw HTTP/1.1 request, path bytes exactly as given (fetch would normalise `..` away). */
function rawGet(port: number, rawPath: string, hostHeader = `127.0.0.1:${port}`): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${rawPath} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk) => (text += String(chunk)));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
  });
}

describe('web bridge', () => {
  let host: SluiceHost;
  let bridge: WebBridge;
  let staticDir: string;
  const hello = () => ({ kind: 'hello', token: bridge.token });
  async function authedSocket(): Promise<WebSocket> {
    const ws = await openSocket(`ws://127.0.0.1:${bridge.port}/bridge`);
    ws.send(JSON.stringify(hello()));
    return ws;
  }
  before(async () => {
    host = await startTestHost();
    const outside = tempDir();
    // A secret next to the served folder: what a traversal would read.
    writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
    staticDir = path.join(outside, 'renderer');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sluice</title>');
    bridge = await startWebBridge({ host, staticDir, port: 0 });
  });
  after(async () => {
    await bridge.close();
    await host.close();
  });

  it('binds to loopback and prints a URL carrying the token in the fragment (never sent over HTTP)', () => {
    assert.match(bridge.url, new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/#token=${bridge.token}$`));
    assert.ok(bridge.token.length >= 32);
    assert.ok(REPO_ROOT);
  });

  it("serves the page's (public) assets with a strict CSP and never sets a cookie", async () => {
    const page = await fetch(`http://127.0.0.1:${bridge.port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Sluice<\/title>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'.*object-src 'none'/);
    assert.equal(page.headers.get('set-cookie'), null, 'a cookie for 127.0.0.1 would reach every service on 127.0.0.1');
  });

  it('refuses a Host header that is not loopback with our port (DNS rebinding)', async () => {
    assert.equal((await rawGet(bridge.port, '/')).status, 200);
    assert.equal((await rawGet(bridge.port, '/', `localhost:${bridge.port}`)).status, 200);
    assert.equal((await rawGet(bridge.port, '/', `evil.example:${bridge.port}`)).status, 421);
    assert.equal((await rawGet(bridge.port, '/', `127.0.0.1:${bridge.port + 1}`)).status, 421);
    assert.equal((await rawGet(bridge.port, '/', '127.0.0.1')).status, 421);
    await assert.rejects(openSocket(`ws://127.0.0.1:${bridge.port}/bridge`, { host: `evil.example:${bridge.port}` }), /HTTP 403/);
  });

  it('never serves a file outside its folder, whatever the raw path', async () => {
    for (const raw of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..\\secret.txt',
      '//../secret.txt',
    ]) {
      const { status, text } = await rawGet(bridge.port, raw);
      assert.doesNotMatch(text, /TOP SECRET/, raw);
      assert.notEqual(status, 200, raw);
    }
  });

  it('a socket without the token in its first frame is closed and hears nothing', async () => {
    const base = `ws://127.0.0.1:${bridge.port}/bridge`;
    for (const first of [{ kind: 'hello', token: 'nope' }, { kind: 'invoke', id: 1, channel: 'app:info', request: {} }, 'garbage']) {
      const ws = await openSocket(base);
      const heard: string[] = [];
      ws.on('message', (data) => heard.push(frameText(data)));
      const closed = closeCode(ws);
      ws.send(typeof first === 'string' ? first : JSON.stringify(first));
      assert.equal(await closed, 4401);
      assert.deepEqual(heard, []);
    }
    // Before its hello a socket gets no events either.
    const quiet = await openSocket(base);
    const heard: string[] = [];
    quiet.on('message', (data) => heard.push(frameText(data)));
    await host.invoke('sampling:setPaused', { paused: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(heard, []);
    quiet.close();
    await assert.rejects(openSocket(base, { origin: 'http://evil.example' }), /HTTP 403/);
    const ws = await openSocket(base, { origin: `http://127.0.0.1:${bridge.port}` });
    ws.send(JSON.stringify(hello()));
    assert.equal((await call(ws, { kind: 'invoke', id: 1, channel: 'app:info', request: {} })).ok, true);
    ws.close();
  });

  it('carries invoke calls, validates payloads, and survives garbage', async () => {
    const ws = await authedSocket();
    ws.send('this is not json');
    ws.send(JSON.stringify({ kind: 'invoke', id: 'x' }));
    const info = await call(ws, { kind: 'invoke', id: 1, channel: 'app:info', request: {} });
    assert.equal(info.ok, true);
    assert.equal((info.response as { mode: string }).mode, 'web');
    const unknown = await call(ws, { kind: 'invoke', id: 2, channel: 'fs:readFile', request: {} });
    assert.deepEqual(unknown, { kind: 'result', id: 2, ok: false, error: 'Unknown channel fs:readFile' });
    const invalid = await call(ws, {
      kind: 'invoke',
      id: 3,
      channel: 'servers:save',
      request: { definition: { name: '', type: 'stdio', command: '' } },
    });
    assert.equal(invalid.ok, false);
    assert.match(String(invalid.error), /Invalid payload for servers:save/);
    assert.match(String(invalid.error), /A server needs a name/);
    const still = await call(ws, { kind: 'invoke', id: 4, channel: 'servers:list', request: {} });
    assert.deepEqual(still, { kind: 'result', id: 4, ok: true, response: [] });
    ws.close();
  });

  it('never sends API keys to the renderer', async () => {
    const saved = await host.invoke('providers:save', {
      kind: 'openai-compatible',
      name: 'Secretive',
      baseUrl: 'http://127.0.0.1:9/v1',
      models: ['m'],
      apiKey: 'sk-very-secret',
    });
    assert.equal(saved.hasApiKey, true);
    const ws = await authedSocket();
    const listed = await call(ws, { kind: 'invoke', id: 1, channel: 'providers:list', request: {} });
    assert.doesNotMatch(JSON.stringify(listed), /sk-very-secret/);
    ws.close();
  });

  it('the CLI refuses --host on a non-loopback address without --allow-remote', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'electron', 'web', 'cli.ts'), '--host', '0.0.0.0', '--data-dir', tempDir()],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(run.status, 1);
    assert.match(run.stderr, /--host 0\.0\.0\.0 is not a loopback address.*not encrypted.*--allow-remote/);
  });
});
