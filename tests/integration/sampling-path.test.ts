/**
 * The sampling path from end to end, through the real core: a real MCP server (v1 SDK pushing
 * sampling/createMessage, or v2 returning input_required) asks for a completion; the "user"
 * (this test, through the same invoke channels the renderer uses) edits every param, approves,
 * edits the answer and sends it. We assert what the model endpoint and the server received.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { isSamplingEntry, type ServerDefinitionInput } from '../../shared/domain.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { LEGACY_SERVER, MODERN_SERVER, spawnHttpFixture, tempLogFile, type SpawnedHttpFixture } from '../fixtures/harness.js';
import { historyEntries, historyEntry, nextEvent, startTestHost, stdioFixture, textOf, waitForState } from '../helpers/test-host.js';

const API_KEY = 'sk-sluice-test';

interface Setup {
  host: SluiceHost;
  llm: FakeLlm;
  providerId: string;
}

async function setUp(): Promise<Setup> {
  const llm = await startFakeLlm({ apiKey: API_KEY, reply: { text: 'The model says hi.', chunkDelayMs: 5 } });
  const host = await startTestHost();
  const provider = await host.invoke('providers:save', {
    kind: 'openai-compatible',
    name: 'Fake',
    baseUrl: llm.url,
    models: ['gpt-test', 'gpt-other'],
    apiKey: API_KEY,
  });
  return { host, llm, providerId: provider.id };
}

/** Approves the pending request with edits to every param, then edits and sends the answer. */
async function approveWithEdits(setup: Setup, serverName: string, call: Promise<unknown>) {
  const { host, llm, providerId } = setup;
  const request = await nextEvent(host, 'sampling:added', (r) => r.serverName === serverName);
  assert.equal(request.params.systemPrompt, 'You are a terse assistant.');
  assert.equal(request.params.maxTokens, 200);
  assert.deepEqual(request.params.stopSequences, ['END']);
  assert.deepEqual(request.suggestedModel, {
    providerId,
    model: 'gpt-test',
    reason: 'matches the server\'s hint "gpt-test"',
  });
  assert.deepEqual(
    (await host.invoke('sampling:list', {})).map((r) => r.id),
    [request.id],
  );

  const deltas: string[] = [];
  const stopDeltas = host.events.on('sampling:delta', (delta) => {
    if (delta.id === request.id) deltas.push(delta.text);
  });
  const edited = {
    ...request.params,
    messages: [
      { role: 'user' as const, content: { type: 'text' as const, text: 'Edited question?' } },
      { role: 'assistant' as const, content: { type: 'text' as const, text: 'An assistant turn the user added.' } },
      { role: 'user' as const, content: { type: 'text' as const, text: 'Answer briefly.' } },
    ],
    systemPrompt: 'Edited system prompt',
    maxTokens: 42,
    temperature: 0.25,
    stopSequences: ['STOP', 'HALT'],
  };
  const generation = await host.invoke('sampling:generate', {
    id: request.id,
    params: edited,
    model: { providerId, model: 'gpt-other' },
  });
  stopDeltas();
  assert.deepEqual(generation.result.content, { type: 'text', text: 'The model says hi.' });
  assert.equal(generation.result.model, 'gpt-other');
  assert.equal(generation.result.stopReason, 'endTurn');
  assert.ok(deltas.length > 1, 'the answer streamed in more than one delta');
  assert.equal(deltas.join(''), 'The model says hi.');

  const [chat] = llm.chatRequests();
  assert.ok(chat, 'the model endpoint was called');
  assert.equal(chat.headers.authorization, `Bearer ${API_KEY}`);
  const body = chat.body as Record<string, unknown>;
  assert.equal(body.model, 'gpt-other');
  assert.equal(body.max_tokens, 42);
  assert.equal(body.temperature, 0.25);
  assert.deepEqual(body.stop, ['STOP', 'HALT']);
  assert.equal(body.stream, true);
  const messages = body.messages as Array<{ role: string; content: unknown }>;
  assert.deepEqual(
    messages.map((m) => [m.role, typeof m.content === 'string' ? m.content : JSON.stringify(m.content)]),
    [
      ['system', 'Edited system prompt'],
      ['user', 'Edited question?'],
      ['assistant', 'An assistant turn the user added.'],
      ['user', 'Answer briefly.'],
    ],
  );

  const history = nextEvent(host, 'history:added', (entry) => entry.id === request.id);
  const removed = nextEvent(host, 'sampling:removed', (removal) => removal.id === request.id);
  await host.invoke('sampling:send', {
    id: request.id,
    result: { role: 'assistant', content: { type: 'text', text: 'An answer the user edited.' }, model: 'gpt-other', stopReason: 'endTurn' },
  });
  assert.equal((await removed).reason, 'sent');
  const entry = await historyEntry(host, (await history).id);
  assert.equal(entry.outcome, 'sent');
  assert.equal(entry.answerEdited, true);
  assert.ok(entry.edits.includes('maxTokens: 200 → 42'), entry.edits.join('\n'));
  assert.ok(entry.edits.includes('systemPrompt: "You are a terse assistant." → "Edited system prompt"'));

  const toolResult = (await call) as { content: Array<{ type: string; text?: string }> };
  const answer = JSON.parse(textOf(toolResult)) as Record<string, unknown>;
  assert.deepEqual(answer.content, { type: 'text', text: 'An answer the user edited.' });
  assert.equal(answer.model, 'gpt-other');
  assert.equal(answer.role, 'assistant');
  assert.equal(answer.stopReason, 'endTurn');
  assert.deepEqual(await host.invoke('sampling:list', {}), []);
  return request;
}

for (const era of ['legacy', 'modern'] as const) {
  const script = era === 'legacy' ? LEGACY_SERVER : MODERN_SERVER;
  const expectedRoute = era === 'legacy' ? 'push' : 'input_required';

  describe(`${era} server over stdio`, () => {
    let setup: Setup;
    const log = tempLogFile();
    before(async () => {
      setup = await setUp();
      await setup.host.invoke('servers:save', { definition: stdioFixture(era, script, { FIXTURE_LOG: log }) });
      await waitForState(setup.host, era, 'connected');
    });
    after(async () => {
      await setup.host.close();
      await setup.llm.close();
    });

    it('lands in the right protocol era', async () => {
      const [status] = await setup.host.invoke('servers:list', {});
      assert.equal(status?.era, era);
      assert.equal(status?.state, 'connected');
    });

    it('approve with edits: the model gets the edits, the server gets the edited answer', async () => {
      const call = setup.host.invoke('servers:callTool', { name: era, tool: 'ask_model', arguments: { prompt: 'Original question?' } });
      const request = await approveWithEdits(setup, era, call);
      assert.equal(request.route, expectedRoute);
      assert.deepEqual(request.toolCall, { name: 'ask_model', arguments: { prompt: 'Original question?' } });
      assert.deepEqual((request.params.messages[0]?.content as { text: string }).text, 'Original question?');
      const logged = readFixtureLog(log).at(-1);
      assert.ok(logged?.ok, 'the server recorded a successful sampling result');
    });

    it("reject: the server sees the spec's user-rejection error", async () => {
      const call = setup.host.invoke('servers:callTool', { name: era, tool: 'ask_model', arguments: { prompt: 'Reject me' } });
      const request = await nextEvent(setup.host, 'sampling:added');
      await setup.host.invoke('sampling:reject', { id: request.id, reason: 'not today' });
      if (era === 'legacy') {
        const result = await call;
        assert.equal(result.isError, true);
        assert.equal(textOf(result), 'SAMPLING_ERROR -1 User rejected sampling request');
        const logged = readFixtureLog(log).at(-1);
        assert.deepEqual(logged && !logged.ok && logged.error, { code: -1, message: 'User rejected sampling request' });
      } else {
        // 2026-07-28: a declined input_required request is not retried; our tool call fails locally.
        await assert.rejects(call, /User rejected sampling request/);
      }
      const [entry] = await historyEntries(setup.host, 1);
      assert.equal(entry?.outcome, 'rejected');
      assert.equal(entry?.detail, 'Rejected: not today');
      assert.equal(entry?.decision, 'user');
      // The server's own id for the request, so the history can be matched with the server's logs.
      assert.ok(request.mcpRequestId !== undefined, 'the pending request carries the JSON-RPC id');
      assert.ok(entry && isSamplingEntry(entry));
      assert.equal(entry.mcpRequestId, request.mcpRequestId);
      // A 2025 server's timeout is its own: no made-up countdown.
      assert.equal(request.deadline, undefined);
    });
  });
}

describe('legacy server: cancellation', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
    await setup.host.invoke('servers:save', { definition: stdioFixture('legacy', LEGACY_SERVER) });
    await waitForState(setup.host, 'legacy', 'connected');
  });
  after(async () => {
    await setup.host.close();
    await setup.llm.close();
  });

  it('when the server times out, the request leaves the queue and the server gets its own timeout', async () => {
    const call = setup.host.invoke('servers:callTool', {
      name: 'legacy',
      tool: 'ask_model_with_timeout',
      arguments: { prompt: 'Too slow', timeoutMs: 800 },
    });
    const request = await nextEvent(setup.host, 'sampling:added');
    const removal = await nextEvent(setup.host, 'sampling:removed', (r) => r.id === request.id);
    assert.equal(removal.reason, 'cancelled');
    assert.match(removal.message, /cancelled/);
    assert.deepEqual(await setup.host.invoke('sampling:list', {}), []);
    assert.match(textOf(await call), /^SAMPLING_ERROR -32001 /);
    const entry = await historyEntry(setup.host, request.id);
    assert.equal(entry?.outcome, 'cancelled');
    assert.equal(entry?.decision, undefined, 'the server timing out is not "decided by you"');
    await assert.rejects(
      setup.host.invoke('sampling:send', {
        id: request.id,
        result: { role: 'assistant', content: { type: 'text', text: 'too late' }, model: 'manual' },
      }),
      /No pending sampling request/,
    );
  });
});

for (const era of ['legacy', 'modern'] as const) {
  describe(`${era} server over Streamable HTTP`, () => {
    let setup: Setup;
    let server: SpawnedHttpFixture;
    const log = tempLogFile();
    before(async () => {
      server = await spawnHttpFixture(era === 'legacy' ? LEGACY_SERVER : MODERN_SERVER, { env: { FIXTURE_LOG: log } });
      setup = await setUp();
      const definition: ServerDefinitionInput = { name: `${era}-http`, type: 'http', url: `${server.origin}/mcp` };
      await setup.host.invoke('servers:save', { definition });
      await waitForState(setup.host, `${era}-http`, 'connected');
    });
    after(async () => {
      await setup.host.close();
      await setup.llm.close();
      await server.stop();
    });

    it('approve with edits round trip', async () => {
      const [status] = await setup.host.invoke('servers:list', {});
      assert.equal(status?.era, era);
      const call = setup.host.invoke('servers:callTool', { name: `${era}-http`, tool: 'ask_model', arguments: { prompt: 'Over HTTP?' } });
      const request = await approveWithEdits(setup, `${era}-http`, call);
      assert.equal(request.route, era === 'legacy' ? 'push' : 'input_required');
      assert.ok(readFixtureLog(log).at(-1)?.ok);
    });
  });
}
