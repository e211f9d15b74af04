/**
 * `Sluice --mcp-stdio`, the desktop relay, without the Electron binary: the real electron/main.ts
 * runs in its own Node process with a stand-in `electron` module (tests/helpers/fake-electron-main.ts),
 * and a real SDK client launches it as a stdio server, as Claude Desktop would. We assert what the
 * app gets, what the host sees, and what main asked of Electron: no window, no single-instance
 * lock, no Dock icon; with no Sluice running, it starts the app binary hidden and waits for it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { HIDDEN_FLAG, MCP_STDIO_FLAG } from '../../electron/desktop/mcp-stdio.js';
import { childEnv, FIXTURES_DIR } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

const RUNNER = path.join(REPO_ROOT, 'tests', 'helpers', 'fake-electron-main.ts');

/** The desktop binary started as an app starts a stdio server: `Sluice --mcp-stdio`. */
function desktopRelay(dataDir: string, electronLog: string, appPath: string): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', RUNNER, MCP_STDIO_FLAG],
    env: childEnv({ SLUICE_DATA_DIR: dataDir, FAKE_ELECTRON_LOG: electronLog, FAKE_APP_PATH: appPath }),
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
}

const readLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe('the desktop app as a stdio relay (--mcp-stdio)', { timeout: 120_000 }, () => {
  const hosts: SluiceHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((host) => host.close()));
  });

  it('relays an app to the running Sluice: tools listed and called; no window, no lock, no Dock icon; exits when the app does', async () => {
    const dataDir = tempDir('sluice-desktop-relay-');
    const host = await startTestHost(dataDir);
    hosts.push(host);
    await host.invoke('servers:save', { definition: stdioFixture('rich', `${FIXTURES_DIR}/rich-server.ts`) });
    await waitForState(host, 'rich', 'connected');
    const electronLog = path.join(dataDir, 'electron-calls.log');

    const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
    const problems: string[] = [];
    client.onerror = (error) => problems.push(error.message);
    await client.connect(desktopRelay(dataDir, electronLog, path.join(dataDir, 'not-started.cjs')));
    assert.equal(client.getServerVersion()?.name, 'Sluice');
    assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'rich__echo'));
    const echoed = await client.callTool({ name: 'rich__echo', arguments: { text: 'from the desktop relay' } });
    assert.equal(textOf(echoed as { content: Array<{ type: string }> }), 'from the desktop relay');
    const app = (await host.invoke('gateway:status', {})).apps.find((candidate) => candidate.name === 'Claude Desktop');
    assert.equal(app?.via, 'relay');
    assert.equal(app?.tokenLabel, 'stdio relay');

    await client.close();
    await eventually('the relay to exit', () => readLines(electronLog).includes('exit:0'));
    const calls = readLines(electronLog);
    assert.ok(calls.includes('dock.hide'), calls.join(', '));
    for (const forbidden of ['BrowserWindow', 'requestSingleInstanceLock', 'whenReady'])
      assert.ok(!calls.includes(forbidden), `${forbidden} in ${calls.join(', ')}`);
    assert.deepEqual(problems, [], 'stdout carried MCP messages only');
    await eventually(
      'the app to leave the list',
      async () => !(await host.invoke('gateway:status', {})).apps.some((candidate) => candidate.name === 'Claude Desktop'),
    );
  });

  it('with no Sluice running, starts the app binary hidden and connects once it is up', async () => {
    const dataDir = tempDir('sluice-desktop-relay-cold-');
    const electronLog = path.join(dataDir, 'electron-calls.log');
    // The "app" the relay starts: it notes how it was started; the test then brings a host up on the same folder.
    const started = path.join(dataDir, 'started.json');
    const appPath = path.join(dataDir, 'fake-app.cjs');
    writeFileSync(appPath, `require('node:fs').writeFileSync(${JSON.stringify(started)}, JSON.stringify(process.argv.slice(1)));\n`);

    const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
    const connecting = client.connect(desktopRelay(dataDir, electronLog, appPath));
    const argv = await eventually('the relay to start Sluice', () =>
      existsSync(started) ? (JSON.parse(readFileSync(started, 'utf8')) as string[]) : undefined,
    );
    assert.deepEqual(argv, [appPath, HIDDEN_FLAG], 'the app binary (from a checkout: with its app folder), window hidden');

    const host = await startTestHost(dataDir);
    hosts.push(host);
    await connecting;
    try {
      assert.equal(client.getServerVersion()?.name, 'Sluice');
      assert.deepEqual((await client.listTools()).tools, []);
    } finally {
      await client.close();
    }
  });
});
