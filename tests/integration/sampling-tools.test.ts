/**
 * Sampling with tools (spec 2025-11-25) through a real v1-SDK server: the server only sends
 * tool-enabled requests because Sluice declares `sampling.tools`. The model's tool call goes back
 * as `tool_use`, the server runs the tool and asks again with `tool_result`, and the model's final
 * answer closes the loop. Also: an image request and includeContext keep-or-strip.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { historyEntry, nextEvent, startTestHost, stdioFixture, textOf, waitForState } from '../helpers/test-host.js';

describe('sampling with tools, images and context (legacy server over stdio)', () => {
  let host: SluiceHost;
  let llm: FakeLlm;
  let providerId: string;

  before(async () => {
    llm = await startFakeLlm();
    host = await startTestHost();
    providerId = (await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llm.url, models: ['gpt-test'] }))
      .id;
    await host.invoke('servers:save', { definition: stdioFixture('legacy', LEGACY_SERVER) });
    await waitForState(host, 'legacy', 'connected');
  });
  after(async () => {
    await host.close();
    await llm.close();
  });

  it('tool round trip: tool_use to the server, tool_result back to the model, final answer', async () => {
    const call = host.invoke('servers:callTool', {
      name: 'legacy',
      tool: 'ask_model_with_tools',
      arguments: { prompt: 'Weather in Paris?' },
    });

    const first = await nextEvent(host, 'sampling:added');
    assert.deepEqual(
      first.params.tools?.map((tool) => tool.name),
      ['get_weather'],
    );
    assert.deepEqual(first.toolCall, { name: 'ask_model_with_tools', arguments: { prompt: 'Weather in Paris?' } });
    llm.setReply({ text: '', toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const model = { providerId, model: 'gpt-test' };
    const generation = await host.invoke('sampling:generate', { id: first.id, params: first.params, model });
    assert.equal(generation.result.stopReason, 'toolUse');
    assert.deepEqual(generation.result.content, [{ type: 'tool_use', id: 'call_7', name: 'get_weather', input: { city: 'Paris' } }]);
    const offered = llm.chatRequests().at(-1)?.body as { tools: Array<{ function: { name: string } }>; tool_choice: unknown };
    assert.equal(offered.tools[0]?.function.name, 'get_weather');
    assert.equal(offered.tool_choice, 'auto');
    await host.invoke('sampling:send', { id: first.id, result: generation.result });

    const second = await nextEvent(host, 'sampling:added');
    const last = second.params.messages.at(-1);
    assert.equal(last?.role, 'user');
    assert.match(JSON.stringify(last?.content), /"type":"tool_result","toolUseId":"call_7"/);
    llm.setReply({ text: 'Sunny and 24°C in Paris.' });
    const final = await host.invoke('sampling:generate', { id: second.id, params: second.params, model });
    const toModel = llm.chatRequests().at(-1)?.body as {
      messages: Array<{ role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown }>;
    };
    const toolMessage = toModel.messages.find((message) => message.role === 'tool');
    assert.equal(toolMessage?.tool_call_id, 'call_7');
    assert.match(String(toolMessage?.content), /sunny, 24°C in Paris/);
    assert.ok(
      toModel.messages.some((message) => message.role === 'assistant' && JSON.stringify(message.tool_calls).includes('get_weather')),
    );
    await host.invoke('sampling:send', { id: second.id, result: final.result });

    const rounds = (JSON.parse(textOf(await call)) as { rounds: Array<{ content: unknown; stopReason: string }> }).rounds;
    assert.equal(rounds.length, 2);
    assert.equal(rounds[0]?.stopReason, 'toolUse');
    assert.deepEqual(rounds[1]?.content, { type: 'text', text: 'Sunny and 24°C in Paris.' });
  });

  it('tool results mixed with other content, or answering no tool_use before them, are refused with -32602 on arrival (no dialog)', async () => {
    const toolUse = {
      role: 'assistant' as const,
      content: [{ type: 'tool_use' as const, id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
    };
    const result = (toolUseId: string) => ({ type: 'tool_result' as const, toolUseId, content: [{ type: 'text', text: 'Sunny' }] });
    const ask = { role: 'user' as const, content: { type: 'text' as const, text: 'Weather in Paris?' } };
    const cases = {
      mixed: [ask, toolUse, { role: 'user' as const, content: [result('call_1'), { type: 'text' as const, text: 'and also…' }] }],
      unknownId: [ask, toolUse, { role: 'user' as const, content: [result('call_2')] }],
      noToolUse: [ask, { role: 'user' as const, content: [result('call_1')] }],
    };
    const added: string[] = [];
    const stop = host.events.on('sampling:added', (request) => added.push(request.id));
    try {
      for (const [what, messages] of Object.entries(cases)) {
        await assert.rejects(
          host.broker.enqueue({ serverName: 'legacy', route: 'push' }, { messages, maxTokens: 100 }),
          (error: { code?: unknown; message?: string }) => error.code === -32602 && /tool result/.test(error.message ?? ''),
          what,
        );
      }
      // The well-formed conversation is accepted (and then rejected by the "user" here).
      const arrived = nextEvent(host, 'sampling:added');
      const ok = host.broker.enqueue(
        { serverName: 'legacy', route: 'push' },
        { messages: [ask, toolUse, { role: 'user', content: [result('call_1')] }], maxTokens: 100 },
      );
      ok.catch(() => undefined);
      const request = await arrived;
      await host.invoke('sampling:reject', { id: request.id });
      assert.deepEqual(added, [request.id], 'no dialog opened for the malformed ones');
    } finally {
      stop();
    }
  });

  it('an image goes to the model as an image part; includeContext thisServer can be kept or stripped', async () => {
    for (const keepContext of [true, false]) {
      const call = host.invoke('servers:callTool', { name: 'legacy', tool: 'ask_model_with_image', arguments: { prompt: 'Describe.' } });
      const request = await nextEvent(host, 'sampling:added');
      assert.equal(request.context?.scope, 'thisServer');
      assert.match(request.context?.text ?? '', /MCP server "legacy"/);
      llm.setReply({ text: 'A red dot.' });
      const generation = await host.invoke('sampling:generate', {
        id: request.id,
        params: request.params,
        model: { providerId, model: 'gpt-test' },
        keepContext,
      });
      const body = llm.chatRequests().at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
      const user = body.messages.find((message) => message.role === 'user');
      assert.match(JSON.stringify(user?.content), /"type":"image_url".*data:image\/png;base64,iVBOR/);
      const system = body.messages.find((message) => message.role === 'system');
      if (keepContext) assert.match(String(system?.content), /MCP server "legacy"/);
      else assert.equal(system, undefined, 'stripped context sends no system prompt');
      const history = nextEvent(host, 'history:added', (entry) => entry.id === request.id);
      await host.invoke('sampling:send', { id: request.id, result: generation.result });
      assert.ok((await historyEntry(host, (await history).id)).edits.includes(`context (thisServer) ${keepContext ? 'kept' : 'stripped'}`));
      assert.match(textOf(await call), /A red dot/);
    }
  });
});
