/**
 * Server management through the real host and real SDK servers: browsing (resources, templates,
 * prompts), logs and log levels, list_changed, crash → exit code + stderr → reconnect, process
 * trees ended on restart/disable/quit, enable/disable.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { isAlive } from '../../electron/core/servers/process-tree.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const RICH_SERVER = path.join(FIXTURES_DIR, 'rich-server.ts');

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`Timed out waiting for ${what}`);
}

async function status(host: SluiceHost, name: string) {
  const found = (await host.invoke('servers:list', {})).find((s) => s.definition.name === name);
  assert.ok(found, `server ${name} is listed`);
  return found;
}

describe('a rich stdio server', () => {
  let host: SluiceHost;

  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('rich', RICH_SERVER) });
    await waitForState(host, 'rich', 'connected');
  });

  after(async () => {
    await host?.close();
  });

  it('reports server info, transport and capabilities', async () => {
    const rich = await status(host, 'rich');
    assert.equal(rich.transport, 'stdio');
    assert.equal(rich.serverInfo?.name, 'sluice-rich-fixture');
    assert.equal(rich.instructions, 'A fixture with tools, resources, prompts and logs.');
    for (const capability of ['tools', 'resources', 'prompts', 'logging']) assert.ok(rich.capabilities?.[capability], capability);
  });

  it('lists and reads resources and templates, lists and gets prompts', async () => {
    const resources = await host.invoke('servers:listResources', { name: 'rich' });
    assert.deepEqual(
      resources.map((r) => [r.uri, r.title]),
      [['note://readme', 'Read me']],
    );
    const templates = await host.invoke('servers:listResourceTemplates', { name: 'rich' });
    assert.deepEqual(
      templates.map((t) => t.uriTemplate),
      ['note://notes/{id}'],
    );
    const read = await host.invoke('servers:readResource', { name: 'rich', uri: 'note://notes/42' });
    assert.equal(read.contents[0]?.text, 'Note number 42');
    const prompts = await host.invoke('servers:listPrompts', { name: 'rich' });
    assert.equal(prompts[0]?.name, 'greet');
    assert.deepEqual(
      prompts[0]?.arguments?.map((a) => [a.name, a.required]),
      [
        ['name', true],
        ['mood', false],
      ],
    );
    const prompt = await host.invoke('servers:getPrompt', { name: 'rich', prompt: 'greet', arguments: { name: 'Ada', mood: 'cheerful' } });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Say hello to Ada in a cheerful mood.' });
  });

  it('returns images, structured content and tool errors', async () => {
    const image = await host.invoke('servers:callTool', { name: 'rich', tool: 'red_pixel', arguments: {} });
    assert.equal(image.content[1]?.type, 'image');
    const sum = await host.invoke('servers:callTool', { name: 'rich', tool: 'add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(sum.structuredContent, { sum: 5 });
    const failed = await host.invoke('servers:callTool', { name: 'rich', tool: 'fail', arguments: {} });
    assert.equal(failed.isError, true);
    assert.equal(textOf(failed), 'Something went wrong on purpose.');
  });

  it('keeps stderr and logging notifications in the log, and honours logging/setLevel', async () => {
    await eventually(
      async () =>
        (await host.invoke('servers:logs', { name: 'rich' })).some((e) => e.source === 'stderr' && e.text.includes('serving on stdio')),
      'the stderr line',
    );
    await host.invoke('servers:setLogLevel', { name: 'rich', level: 'warning' });
    const logged = nextEvent(host, 'servers:log', ({ entry }) => entry.source === 'notification' && entry.text === 'disk almost full');
    await host.invoke('servers:callTool', { name: 'rich', tool: 'log', arguments: { level: 'info', message: 'too chatty' } });
    await host.invoke('servers:callTool', { name: 'rich', tool: 'log', arguments: { level: 'error', message: 'disk almost full' } });
    const { name, entry } = await logged;
    assert.equal(name, 'rich');
    assert.equal(entry.level, 'error');
    assert.equal(entry.logger, 'rich');
    const logs = await host.invoke('servers:logs', { name: 'rich' });
    assert.ok(!logs.some((e) => e.text === 'too chatty'), 'the info message is below the chosen level');
  });

  it('announces list_changed so the tool list can be refreshed', async () => {
    const changed = nextEvent(host, 'servers:listChanged', (e) => e.name === 'rich' && e.kind === 'tools');
    await host.invoke('servers:callTool', { name: 'rich', tool: 'add_tool', arguments: {} });
    await changed;
    const tools = await host.invoke('servers:listTools', { name: 'rich' });
    assert.ok(tools.some((t) => t.name === 'extra_1'));
  });
});

describe('the log level chosen for a server', () => {
  const dataDir = tempDir();
  const pids = tempLogFile('sluice-pids-');
  let host: SluiceHost | undefined;

  after(async () => {
    await host?.close();
  });

  const startedPids = () => readFileSync(pids, 'utf8').trim().split('\n');

  it('is stored without restarting the server, and sent again after the app restarts', async () => {
    host = await startTestHost(dataDir);
    await host.invoke('servers:save', { definition: stdioFixture('rich', RICH_SERVER, { RICH_PID_FILE: pids }) });
    await waitForState(host, 'rich', 'connected');
    const pid = host.servers.get('rich').pid();
    // (The era probe may start a disposable process of its own: count starts from here.)
    const starts = startedPids().length;
    await host.invoke('servers:setLogLevel', { name: 'rich', level: 'warning' });
    assert.equal(host.servers.get('rich').pid(), pid, 'the same server process');
    assert.equal(startedPids().length, starts, 'no server process was started');
    assert.equal((await status(host, 'rich')).state, 'connected');
    assert.equal((await status(host, 'rich')).definition.logLevel, 'warning');
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'servers.json'), 'utf8')) as {
      mcpServers: Record<string, { logLevel?: string }>;
    };
    assert.equal(stored.mcpServers.rich?.logLevel, 'warning');
    await host.close();

    // A new app session on the same data folder: a new server process, which gets logging/setLevel again.
    host = await startTestHost(dataDir);
    await waitForState(host, 'rich', 'connected');
    assert.ok(startedPids().length > starts, 'a fresh server process');
    assert.notEqual(host.servers.get('rich').pid(), pid);
    await eventually(
      async () =>
        (await host!.invoke('servers:logs', { name: 'rich' })).some(
          (e) => e.source === 'sluice' && e.text.startsWith('Log level set to warning'),
        ),
      'the server to accept the stored level',
    );
    const logged = nextEvent(host, 'servers:log', ({ entry }) => entry.source === 'notification' && entry.text === 'still almost full');
    await host.invoke('servers:callTool', { name: 'rich', tool: 'log', arguments: { level: 'info', message: 'chatty after restart' } });
    await host.invoke('servers:callTool', { name: 'rich', tool: 'log', arguments: { level: 'error', message: 'still almost full' } });
    await logged;
    const logs = await host.invoke('servers:logs', { name: 'rich' });
    assert.ok(!logs.some((e) => e.text === 'chatty after restart'), 'the server filters below the stored level');
  });

  it('a level that does not exist is refused and the stored one is kept', async () => {
    assert.ok(host);
    await assert.rejects(host.invoke('servers:setLogLevel', { name: 'rich', level: 'loud' as 'info' }), /level/i);
    assert.equal((await status(host, 'rich')).definition.logLevel, 'warning');
  });
});

describe('crashes, exit codes and reconnecting', () => {
  let host: SluiceHost;

  before(async () => {
    host = await startTestHost();
  });

  after(async () => {
    await host?.close();
  });

  it('reports the exit code and the last stderr lines, then reconnects on its own', async () => {
    const pids = tempLogFile('sluice-pids-');
    await host.invoke('servers:save', { definition: stdioFixture('crashy', RICH_SERVER, { RICH_PID_FILE: pids }) });
    await waitForState(host, 'crashy', 'connected');
    const firstPid = host.servers.get('crashy').pid() as number;

    const crashed = nextEvent(host, 'servers:changed', (list) => list.some((s) => s.definition.name === 'crashy' && s.state === 'error'));
    await host.invoke('servers:callTool', { name: 'crashy', tool: 'crash', arguments: { code: 7 } });
    const failure = (await crashed).find((s) => s.definition.name === 'crashy');
    assert.match(failure?.error ?? '', /exited with code 7/);
    assert.match(failure?.error ?? '', /crashing on purpose with code 7/);
    assert.equal(failure?.reconnect?.attempt, 1);

    await waitForState(host, 'crashy', 'connected', 30_000);
    const secondPid = host.servers.get('crashy').pid();
    assert.ok(secondPid && secondPid !== firstPid, 'a new process runs');
    assert.ok(readFileSync(pids, 'utf8').includes(String(secondPid)));
    const echo = await host.invoke('servers:callTool', { name: 'crashy', tool: 'echo', arguments: { text: 'back' } });
    assert.equal(textOf(echo), 'back');
    const logs = await host.invoke('servers:logs', { name: 'crashy' });
    assert.ok(logs.some((e) => e.source === 'sluice' && /Reconnecting in 1 s \(attempt 1/.test(e.text)));
  });

  it('a server that cannot start says why', async () => {
    await host.invoke('servers:save', { definition: stdioFixture('broken', RICH_SERVER, { RICH_EXIT_ON_START: '3' }) });
    await waitForState(host, 'broken', 'error');
    const broken = await status(host, 'broken');
    assert.match(broken.error ?? '', /exited with code 3/);
    assert.match(broken.error ?? '', /refusing to start \(code 3\)/);
    assert.equal(broken.reconnect, undefined, 'a failed first start waits for the user');
  });

  it('a command that does not exist is an error, not a crash loop', async () => {
    await host.invoke('servers:save', { definition: { name: 'missing', type: 'stdio', command: 'sluice-no-such-command-xyz' } });
    await waitForState(host, 'missing', 'error');
    assert.match((await status(host, 'missing')).error ?? '', /ENOENT|not found|spawn/i);
  });
});

describe('process trees', () => {
  let host: SluiceHost;

  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('tree', RICH_SERVER) });
    await waitForState(host, 'tree', 'connected');
  });

  after(async () => {
    await host?.close();
  });

  async function spawnGrandchild(): Promise<number> {
    const result = await host.invoke('servers:callTool', { name: 'tree', tool: 'spawn_grandchild', arguments: {} });
    const pid = Number(textOf(result));
    assert.ok(Number.isInteger(pid) && isAlive(pid), 'the grandchild runs');
    return pid;
  }

  it('restart ends the grandchildren too', async () => {
    const grandchild = await spawnGrandchild();
    await host.invoke('servers:restart', { name: 'tree' });
    await eventually(() => !isAlive(grandchild), 'the grandchild to end');
    await waitForState(host, 'tree', 'connected');
  });

  it('disable ends the tree and shows the server as disabled; enable brings it back', async () => {
    const grandchild = await spawnGrandchild();
    const child = host.servers.get('tree').pid() as number;
    await host.invoke('servers:setEnabled', { name: 'tree', enabled: false });
    assert.equal((await status(host, 'tree')).state, 'disabled');
    await eventually(() => !isAlive(grandchild) && !isAlive(child), 'the tree to end');
    await host.invoke('servers:setEnabled', { name: 'tree', enabled: true });
    await waitForState(host, 'tree', 'connected');
  });

  it('quitting closes every connection and its processes', async () => {
    const grandchild = await spawnGrandchild();
    const child = host.servers.get('tree').pid() as number;
    await host.close();
    await eventually(() => !isAlive(grandchild) && !isAlive(child), 'the tree to end');
  });
});
