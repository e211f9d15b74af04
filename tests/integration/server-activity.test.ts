/**
 * Progress and Cancel, pagination, output-schema checks, subscriptions, completions and tasks,
 * through the real host against fixture servers of both SDK generations (activity-server.ts on
 * the v1 SDK's low-level Server, activity-modern-server.ts on the v2 SDK). We assert what the
 * user would see (events, results) and what the server observed (its FIXTURE_LOG).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import type { EventPayload } from '../../shared/contract.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { nextEvent, startTestHost, stdioFixture, textOf, waitForState } from '../helpers/test-host.js';

const ACTIVITY = path.join(FIXTURES_DIR, 'activity-server.ts');
const ACTIVITY_MODERN = path.join(FIXTURES_DIR, 'activity-modern-server.ts');

function events(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Collects every `channel` event until the returned stop function is called. */
function collect<E extends 'servers:progress' | 'tasks:changed' | 'servers:resourceUpdated'>(
  host: SluiceHost,
  channel: E,
): { seen: Array<EventPayload<E>>; stop: () => void } {
  const seen: Array<EventPayload<E>> = [];
  const stop = host.events.on(channel, (payload) => void seen.push(payload));
  return { seen, stop };
}

for (const era of ['legacy', 'modern'] as const) {
  describe(`progress and Cancel on a ${era} server`, () => {
    let host: SluiceHost;
    const log = tempLogFile();
    before(async () => {
      host = await startTestHost();
      const script = era === 'legacy' ? ACTIVITY : ACTIVITY_MODERN;
      await host.invoke('servers:save', { definition: { ...stdioFixture(era, script, { FIXTURE_LOG: log }), era } });
      await waitForState(host, era, 'connected');
    });
    after(() => host.close());

    it('sends a progress token and relays progress with the message and total', async () => {
      const progress = collect(host, 'servers:progress');
      const result = await host.invoke('servers:callTool', {
        name: era,
        tool: 'slow_count',
        arguments: { steps: 3, delayMs: 150 },
        callId: 'count-1',
      });
      progress.stop();
      assert.equal(textOf(result), 'Counted to 3');
      assert.ok(
        events(log).some((e) => e.event === 'progress-token' && e.present === true),
        'the server saw a progress token',
      );
      assert.ok(progress.seen.length >= 2, `progress events arrived (${progress.seen.length})`);
      const last = progress.seen.at(-1);
      assert.equal(last?.callId, 'count-1');
      assert.equal(last?.total, 3);
      assert.match(last?.message ?? '', /^Step \d of 3$/);
    });

    it('Cancel reaches the server, which stops, and the call says it was cancelled', async () => {
      const call = host.invoke('servers:callTool', {
        name: era,
        tool: 'slow_count',
        arguments: { steps: 100, delayMs: 100 },
        callId: 'count-2',
      });
      await nextEvent(host, 'servers:progress', (p) => p.callId === 'count-2');
      const { cancelled } = await host.invoke('servers:cancel', { name: era, callId: 'count-2' });
      assert.equal(cancelled, true);
      await assert.rejects(call, /Cancelled/);
      await eventually('the server to observe the abort', () => events(log).some((e) => e.event === 'aborted'));
      // Cancelling something that already ended is not an error, just a no-op.
      assert.equal((await host.invoke('servers:cancel', { name: era, callId: 'count-2' })).cancelled, false);
    });
  });
}

describe('the activity fixture (2025 era, v1 SDK)', () => {
  let host: SluiceHost;
  const log = tempLogFile();
  const name = 'activity';
  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture(name, ACTIVITY, { FIXTURE_LOG: log }) });
    await waitForState(host, name, 'connected');
  });
  after(() => host.close());

  it('a slow prompt get reports progress and can be cancelled', async () => {
    const get = host.invoke('servers:getPrompt', { name, prompt: 'slow_prompt', arguments: {}, callId: 'prompt-1' });
    const progress = await nextEvent(host, 'servers:progress', (p) => p.callId === 'prompt-1');
    assert.equal(progress.message, 'Thinking');
    await host.invoke('servers:cancel', { name, callId: 'prompt-1' });
    await assert.rejects(get, /Cancelled/);
    await eventually('the server to observe the abort', () => events(log).some((e) => e.event === 'aborted' && e.prompt === 'slow_prompt'));
  });

  it('follows nextCursor for every list', async () => {
    const tools = await host.invoke('servers:listTools', { name });
    assert.deepEqual(
      tools.map((t) => t.name),
      ['slow_count', 'wipe', 'bad_structured', 'good_structured', 'links', 'bump', 'research', 'ask_name', 'maybe_task'],
    );
    assert.equal((await host.invoke('servers:listResources', { name })).length, 5);
    assert.equal((await host.invoke('servers:listResourceTemplates', { name })).length, 3);
    assert.equal((await host.invoke('servers:listPrompts', { name })).length, 5);
  });

  it('passes annotations, icons and task support on to the renderer', async () => {
    const tools = await host.invoke('servers:listTools', { name });
    const wipe = tools.find((t) => t.name === 'wipe');
    assert.equal(wipe?.annotations?.destructiveHint, true);
    assert.equal(wipe?.annotations?.title, 'Wipe everything');
    assert.match(tools.find((t) => t.name === 'slow_count')?.icons?.[0]?.src ?? '', /^data:image\/png;base64,/);
    assert.equal(tools.find((t) => t.name === 'research')?.execution?.taskSupport, 'required');
    const [status] = await host.invoke('servers:list', {});
    assert.ok(status?.capabilities?.tasks, 'the Capabilities tab gets the tasks capability');
    assert.match(status?.serverInfo?.icons?.[0]?.src ?? '', /^data:/);
  });

  it('shows structured content that breaks the output schema, and says so', async () => {
    await host.invoke('servers:listTools', { name });
    const bad = await host.invoke('servers:callTool', { name, tool: 'bad_structured', arguments: {} });
    assert.deepEqual(bad.structuredContent, { sum: 'three' });
    assert.match(bad.outputSchemaProblem ?? '', /does not match the tool's output schema/);
    const good = await host.invoke('servers:callTool', { name, tool: 'good_structured', arguments: {} });
    assert.equal(good.outputSchemaProblem, undefined);
  });

  it('subscribes to a resource, hears its updates, and unsubscribes', async () => {
    await host.invoke('servers:subscribe', { name, uri: 'activity://counter' });
    const updated = nextEvent(host, 'servers:resourceUpdated', (u) => u.uri === 'activity://counter');
    await host.invoke('servers:callTool', { name, tool: 'bump', arguments: {} });
    assert.deepEqual(await updated, { name, uri: 'activity://counter' });
    await host.invoke('servers:unsubscribe', { name, uri: 'activity://counter' });
    assert.ok(events(log).some((e) => e.event === 'unsubscribed' && e.uri === 'activity://counter'));
  });

  it('completes prompt arguments (with the filled ones as context) and template variables', async () => {
    const languages = await host.invoke('servers:complete', {
      name,
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'language', value: 'es' },
    });
    assert.deepEqual(languages.values, ['esperanto', 'estonian']);
    const names = await host.invoke('servers:complete', {
      name,
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: 'A' },
      context: { language: 'french' },
    });
    assert.deepEqual(names.values, ['Amélie', 'Antoine']);
    const cities = await host.invoke('servers:complete', {
      name,
      ref: { type: 'ref/resource', uri: 'activity://city/{name}' },
      argument: { name: 'name', value: 'pa' },
    });
    assert.deepEqual(cities.values, ['Paris', 'Parma']);
  });

  it('runs a required task to completion, showing its status, TTL and poll interval', async () => {
    await host.invoke('servers:listTools', { name });
    const changes = collect(host, 'tasks:changed');
    const result = await host.invoke('servers:callTool', { name, tool: 'research', arguments: { workMs: 800 } });
    changes.stop();
    assert.equal(textOf(result), 'research finished');
    assert.ok(
      changes.seen.some((v) => v.statusMessage === 'Halfway there'),
      'a status message from polling arrived',
    );
    const last = changes.seen.at(-1);
    assert.equal(last?.status, 'completed');
    assert.equal(last?.ttl, 60_000);
    assert.equal(last?.pollInterval, 250, 'the 100 ms suggestion is clamped to 250 ms');
    assert.equal(textOf(last?.result ?? { content: [] }), 'research finished');
    const listed = await host.invoke('tasks:list', { name });
    assert.ok(listed.some((t) => t.taskId === last?.taskId && t.status === 'completed' && t.tool === 'research'));
  });

  it('cancels a running task from the running call', async () => {
    const call = host.invoke('servers:callTool', { name, tool: 'research', arguments: { workMs: 20_000 }, callId: 'task-1' });
    const created = await nextEvent(host, 'tasks:changed', (v) => v.tool === 'research' && v.status === 'working');
    await host.invoke('servers:cancel', { name, callId: 'task-1' });
    await assert.rejects(call, /Cancelled/);
    await eventually('the server to cancel the task', () => events(log).some((e) => e.event === 'task-cancelled'));
    const listed = await host.invoke('tasks:list', { name });
    assert.equal(listed.find((t) => t.taskId === created.taskId)?.status, 'cancelled');
  });

  it('a task that needs input routes to the elicitation dialog and completes with the answer', async () => {
    const changes = collect(host, 'tasks:changed');
    const call = host.invoke('servers:callTool', { name, tool: 'ask_name', arguments: {} });
    const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === name);
    assert.equal(request.message, 'What is your name?');
    assert.equal(request.toolCall?.name, 'ask_name');
    await host.invoke('elicitation:respond', { id: request.id, action: 'accept', content: { name: 'Ada' } });
    assert.equal(textOf(await call), 'Hello, Ada');
    changes.stop();
    assert.ok(changes.seen.some((v) => v.status === 'input_required'));
  });

  it('an optional task runs as a normal call unless asked, and as a task when asked', async () => {
    assert.equal(textOf(await host.invoke('servers:callTool', { name, tool: 'maybe_task', arguments: {} })), 'ran without a task');
    assert.equal(
      textOf(await host.invoke('servers:callTool', { name, tool: 'maybe_task', arguments: {}, asTask: true })),
      'maybe_task finished',
    );
  });
});

describe('a task whose server goes away', () => {
  let host: SluiceHost;
  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('gone', ACTIVITY) });
    await waitForState(host, 'gone', 'connected');
    await host.invoke('servers:listTools', { name: 'gone' });
  });
  after(() => host.close());

  it('stops being followed and the call says why', async () => {
    const outcome = host.invoke('servers:callTool', { name: 'gone', tool: 'research', arguments: { workMs: 60_000 } }).then(
      () => new Error('the call should not succeed'),
      (error: unknown) => error as Error,
    );
    const created = await nextEvent(host, 'tasks:changed', (v) => v.status === 'working');
    await host.invoke('servers:setEnabled', { name: 'gone', enabled: false });
    assert.match((await outcome).message, /no longer connected|not connected|closed/);
    const view = (await host.invoke('tasks:list', { name: 'gone' })).find((v) => v.taskId === created.taskId);
    assert.match(view?.error ?? '', /no longer connected|not connected|closed/, 'the task view says why it is no longer followed');
  });
});

describe('a server whose tools/list never ends', () => {
  let host: SluiceHost;
  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('endless', ACTIVITY, { ACTIVITY_ENDLESS: '1' }) });
    await waitForState(host, 'endless', 'connected');
  });
  after(() => host.close());

  it('stops after a bounded number of pages, keeps what it got and says why in the log', async () => {
    const tools = await host.invoke('servers:listTools', { name: 'endless' });
    assert.equal(tools.length, 50);
    const logs = await host.invoke('servers:logs', { name: 'endless' });
    assert.ok(logs.some((entry) => /tools list is incomplete: stopped after 50 pages/.test(entry.text)));
  });
});
