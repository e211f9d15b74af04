/**
 * The reference "everything" server (@modelcontextprotocol/server-everything, v1 SDK) as a judge
 * we did not write: progress and Cancel on its long-running tool, its task tool run to the end,
 * completions with context, annotations, markdown documents and resource updates.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { childEnv } from '../fixtures/harness.js';
import { nextEvent, startTestHost, textOf, waitForState } from '../helpers/test-host.js';

const require = createRequire(import.meta.url);
export const EVERYTHING_SCRIPT = path.join(
  path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);

describe('the reference everything server', () => {
  let host: SluiceHost;
  const name = 'everything';
  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', {
      definition: { name, type: 'stdio', command: process.execPath, args: [EVERYTHING_SCRIPT, 'stdio'], env: childEnv() },
    });
    await waitForState(host, name, 'connected');
    await host.invoke('servers:listTools', { name });
  });
  after(() => host.close());

  it("shows the long-running tool's progress and its annotations", async () => {
    const tools = await host.invoke('servers:listTools', { name });
    assert.equal(tools.find((t) => t.name === 'trigger-long-running-operation')?.annotations?.readOnlyHint, true);
    const progress = nextEvent(host, 'servers:progress', (p) => p.callId === 'long-1' && p.progress === 2);
    const result = await host.invoke('servers:callTool', {
      name,
      tool: 'trigger-long-running-operation',
      arguments: { duration: 1, steps: 4 },
      callId: 'long-1',
    });
    assert.equal((await progress).total, 4);
    assert.match(textOf(result), /Long running operation completed/);
  });

  it('cancels the long-running tool', async () => {
    const call = host.invoke('servers:callTool', {
      name,
      tool: 'trigger-long-running-operation',
      arguments: { duration: 60, steps: 60 },
      callId: 'long-2',
    });
    await nextEvent(host, 'servers:progress', (p) => p.callId === 'long-2');
    await host.invoke('servers:cancel', { name, callId: 'long-2' });
    await assert.rejects(call, /Cancelled/);
  });

  it('runs its research task to completion, following the status messages', async () => {
    const stage = nextEvent(
      host,
      'tasks:changed',
      (v) => v.tool === 'simulate-research-query' && v.status === 'working' && Boolean(v.statusMessage),
    );
    const result = await host.invoke('servers:callTool', { name, tool: 'simulate-research-query', arguments: { topic: 'otters' } });
    assert.ok((await stage).statusMessage);
    assert.match(textOf(result), /otters/i);
  });

  it('completes prompt arguments with the department as context', async () => {
    const ref = { type: 'ref/prompt' as const, name: 'completable-prompt' };
    assert.deepEqual((await host.invoke('servers:complete', { name, ref, argument: { name: 'department', value: 'S' } })).values, [
      'Sales',
      'Support',
    ]);
    const names = await host.invoke('servers:complete', {
      name,
      ref,
      argument: { name: 'name', value: '' },
      context: { department: 'Engineering' },
    });
    assert.deepEqual(names.values, ['Alice', 'Bob', 'Charlie']);
  });

  it('sends updates for a subscribed resource', async () => {
    const uri = 'demo://resource/static/document/features.md';
    await host.invoke('servers:subscribe', { name, uri });
    const updated = nextEvent(host, 'servers:resourceUpdated', (u) => u.uri === uri, 20_000);
    await host.invoke('servers:callTool', { name, tool: 'toggle-subscriber-updates', arguments: {} });
    assert.equal((await updated).uri, uri);
    const read = await host.invoke('servers:readResource', { name, uri });
    assert.equal(read.contents[0]?.mimeType, 'text/markdown');
  });
});
