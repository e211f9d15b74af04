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

function openSocket(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(frameText(data))));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('web bridge', () => {
  let host: SluiceHost;
  let bridge: WebBridge;
  before(async () => {
    host = await startTestHost();
    const staticDir = tempDir();
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sluice</title>');
    bridge = await startWebBridge({ host, staticDir, port: 0 });
  });
  after(async () => {
    await bridge.close();
    await host.close();
  });

  it('binds to loopback and prints a URL carrying the token', () => {
    assert.match(bridge.url, new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?token=${bridge.token}$`));
    assert.ok(bridge.token.length >= 32);
    assert.ok(REPO_ROOT);
  });

  it('refuses HTTP without the token and serves the page with it, setting a strict CSP', async () => {
    const origin = `http://127.0.0.1:${bridge.port}`;
    assert.equal((await fetch(`${origin}/`)).status, 401);
    assert.equal((await fetch(`${origin}/?token=wrong`)).status, 401);
    assert.equal((await fetch(`${origin}/../../etc/passwd?token=${bridge.token}`)).status, 404);
    const page = await fetch(bridge.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Sluice<\/title>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'.*object-src 'none'/);
    const cookie = page.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly; SameSite=Strict/);
    // The cookie lets the page load its own assets without the token in every URL.
    assert.equal((await fetch(`${origin}/index.html`, { headers: { cookie: cookie.split(';')[0] ?? '' } })).status, 200);
  });

  it('refuses WebSockets without the token or from another origin', async () => {
    const base = `ws://127.0.0.1:${bridge.port}/bridge`;
    await assert.rejects(openSocket(base), /HTTP 401/);
    await assert.rejects(openSocket(`${base}?token=nope`), /HTTP 401/);
    await assert.rejects(openSocket(`${base}?token=${bridge.token}`, 'http://evil.example'), /HTTP 401/);
    const ws = await openSocket(`${base}?token=${bridge.token}`, `http://127.0.0.1:${bridge.port}`);
    ws.close();
  });

  it('carries invoke calls, validates payloads, and survives garbage', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${bridge.port}/bridge?token=${bridge.token}`);
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
    const ws = await openSocket(`ws://127.0.0.1:${bridge.port}/bridge?token=${bridge.token}`);
    const listed = await call(ws, { kind: 'invoke', id: 1, channel: 'providers:list', request: {} });
    assert.doesNotMatch(JSON.stringify(listed), /sk-very-secret/);
    ws.close();
  });
});
