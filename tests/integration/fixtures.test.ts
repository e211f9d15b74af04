/**
 * Proves the test fixtures in tests/fixtures/ work against a plain v2 Client
 * (`@modelcontextprotocol/client`) and the AI SDK.
 *
 * Run: node --import tsx --test tests/integration/fixtures.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  Client,
  ProtocolError,
  SSEClientTransport,
  SdkError,
  StreamableHTTPClientTransport,
  type CreateMessageResult,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { APICallError, generateText, streamText } from 'ai';

import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import {
  FAKE_LLM,
  LEGACY_SERVER,
  MODERN_SERVER,
  childEnv,
  fixtureCommand,
  spawnHttpFixture,
  tempLogFile,
  type SpawnedHttpFixture,
} from '../fixtures/harness.js';

// ---------------------------------------------------------------------------------------------
// helpers

interface SamplingCall {
  params: Record<string, unknown>;
  /** ctx.mcpReq.id: a JSON-RPC id (number) when pushed, the inputRequests key (string) when fulfilled from input_required. */
  ctxId: unknown;
  ctxMethod: string;
  hasSessionId: boolean;
  signal: AbortSignal;
  /** Whether ctx.mcpReq.send works (it throws SdkError SEND_FAILED during input_required fulfilment). */
  sendThrows?: boolean;
}

type SamplingBehaviour = (call: SamplingCall) => Promise<CreateMessageResult> | CreateMessageResult;

function makeSamplingClient(opts: { auto?: boolean; behaviour: SamplingBehaviour; probeSend?: boolean }) {
  const client = new Client(
    { name: 'sluice-fixture-test', version: '0.0.0' },
    { capabilities: { sampling: {} }, ...(opts.auto && { versionNegotiation: { mode: 'auto' as const } }) },
  );
  const calls: SamplingCall[] = [];
  client.setRequestHandler('sampling/createMessage', async (request, ctx) => {
    const call: SamplingCall = {
      params: request.params,
      ctxId: ctx.mcpReq.id,
      ctxMethod: ctx.mcpReq.method,
      hasSessionId: ctx.sessionId !== undefined,
      signal: ctx.mcpReq.signal,
    };
    if (opts.probeSend) {
      try {
        await ctx.mcpReq.send({ method: 'ping' });
        call.sendThrows = false;
      } catch (err) {
        call.sendThrows = err instanceof SdkError;
      }
    }
    calls.push(call);
    return opts.behaviour(call);
  });
  return { client, calls };
}

function answer(text: string, model = 'host-model'): CreateMessageResult {
  return { model, role: 'assistant', content: { type: 'text', text }, stopReason: 'endTurn' };
}

function expectedSamplingParams(prompt: string, maxTokens: number, origin: string) {
  return {
    messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
    systemPrompt: 'You are a terse assistant.',
    maxTokens,
    temperature: 0.7,
    stopSequences: ['END'],
    modelPreferences: { hints: [{ name: 'gpt-test' }], intelligencePriority: 0.8, speedPriority: 0.3, costPriority: 0.2 },
    includeContext: 'none',
    metadata: { origin },
  };
}

/** Drops `_meta` (the v2 legacy shim adds a progressToken) so params compare structurally. */
function withoutMeta(params: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = params;
  return rest;
}

function toolText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const first = content[0];
  assert.ok(
    first && first.type === 'text' && typeof first.text === 'string',
    `expected a text content block, got ${JSON.stringify(result)}`,
  );
  return first.text;
}

function stdioTransport(script: string, env: Record<string, string | undefined> = {}): StdioClientTransport {
  // StdioClientTransport only passes a whitelisted env to the child — FIXTURE_LOG must be passed explicitly.
  return new StdioClientTransport({ ...fixtureCommand(script), env: childEnv(env), stderr: 'pipe' });
}

async function withClient<T>(client: Client, transport: Transport, fn: () => Promise<T>): Promise<T> {
  await client.connect(transport);
  try {
    return await fn();
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// legacy (v1 SDK) server: sampling is pushed

describe('legacy-server (v1 SDK, pushed sampling/createMessage)', () => {
  let http: SpawnedHttpFixture;
  let standalone: SpawnedHttpFixture;
  let sse: SpawnedHttpFixture;
  const httpLog = tempLogFile();

  before(async () => {
    [http, standalone, sse] = await Promise.all([
      spawnHttpFixture(LEGACY_SERVER, { env: { FIXTURE_LOG: httpLog } }),
      spawnHttpFixture(LEGACY_SERVER, { env: { FIXTURE_SAMPLING_ROUTE: 'standalone' } }),
      spawnHttpFixture(LEGACY_SERVER, { flag: '--sse' }),
    ]);
  });
  after(async () => {
    await Promise.all([http?.stop(), standalone?.stop(), sse?.stop()]);
  });

  test('stdio: handler is pushed the exact params; tool result carries the answer; FIXTURE_LOG records it', async () => {
    const log = tempLogFile();
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('pushed over stdio'), probeSend: true });
    const result = await withClient(client, stdioTransport(LEGACY_SERVER, { FIXTURE_LOG: log }), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'What is 2+2?', maxTokens: 123 } });
    });
    assert.notEqual(result.isError, true);
    assert.deepEqual(JSON.parse(toolText(result)), answer('pushed over stdio'));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.params, expectedSamplingParams('What is 2+2?', 123, 'legacy-fixture'));
    assert.equal(typeof calls[0]!.ctxId, 'number', 'a pushed request carries the server JSON-RPC id');
    assert.equal(calls[0]!.sendThrows, false, 'ctx.mcpReq.send works for a pushed request');
    assert.deepEqual(readFixtureLog(log), [{ tool: 'ask_model', ok: true, result: answer('pushed over stdio') }]);
  });

  test('stdio: default maxTokens is 200 and echo works', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('x') });
    await withClient(client, stdioTransport(LEGACY_SERVER), async () => {
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'ping-pong' } });
      assert.equal(toolText(echo), 'ping-pong');
      await client.callTool({ name: 'ask_model', arguments: { prompt: 'p' } });
    });
    assert.equal(calls[0]!.params.maxTokens, 200);
  });

  test('stdio: versionNegotiation auto falls back to the legacy era', async () => {
    const { client, calls } = makeSamplingClient({ auto: true, behaviour: () => answer('auto fallback') });
    const result = await withClient(client, stdioTransport(LEGACY_SERVER), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'p' } });
    });
    assert.equal(JSON.parse(toolText(result)).content.text, 'auto fallback');
    assert.equal(calls.length, 1);
  });

  test('stdio: handler throwing ProtocolError(-1) makes the tool report SAMPLING_ERROR -1', async () => {
    const log = tempLogFile();
    const { client, calls } = makeSamplingClient({
      behaviour: () => {
        throw new ProtocolError(-1, 'User rejected sampling request');
      },
    });
    const result = await withClient(client, stdioTransport(LEGACY_SERVER, { FIXTURE_LOG: log }), () =>
      client.callTool({ name: 'ask_model', arguments: { prompt: 'please' } }),
    );
    assert.equal(calls.length, 1);
    assert.equal(result.isError, true);
    assert.equal(toolText(result), 'SAMPLING_ERROR -1 User rejected sampling request');
    assert.deepEqual(readFixtureLog(log), [
      { tool: 'ask_model', ok: false, error: { code: -1, message: 'User rejected sampling request' } },
    ]);
  });

  test('stdio: ask_model_with_timeout → server times out, client handler signal is aborted (notifications/cancelled)', async () => {
    const log = tempLogFile();
    let abortedAfterMs = -1;
    const { client, calls } = makeSamplingClient({
      behaviour: (call) =>
        new Promise<CreateMessageResult>((resolve) => {
          const started = Date.now();
          call.signal.addEventListener('abort', () => {
            abortedAfterMs = Date.now() - started;
            resolve(answer('too late'));
          });
        }),
    });
    const result = await withClient(client, stdioTransport(LEGACY_SERVER, { FIXTURE_LOG: log }), async () => {
      const r = await client.callTool({ name: 'ask_model_with_timeout', arguments: { prompt: 'slow', timeoutMs: 300 } });
      // the cancellation notification races the tool result; give it a moment
      for (let i = 0; i < 50 && !calls[0]?.signal.aborted; i++) await new Promise((res) => setTimeout(res, 20));
      return r;
    });
    assert.equal(result.isError, true);
    assert.equal(toolText(result), 'SAMPLING_ERROR -32001 Request timed out');
    assert.equal(calls[0]!.signal.aborted, true, 'notifications/cancelled must abort the handler signal');
    assert.ok(abortedAfterMs >= 250, `aborted after ${abortedAfterMs}ms`);
    assert.match(String(calls[0]!.signal.reason), /timed out/i);
    assert.deepEqual(readFixtureLog(log), [
      { tool: 'ask_model_with_timeout', ok: false, error: { code: -32001, message: 'Request timed out' } },
    ]);
  });

  test('Streamable HTTP: sampling rides the tools/call stream; result + log carry the answer', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: (c) => answer(`http answer to ${JSON.stringify(c.params.messages)}`) });
    const before = readFixtureLog(httpLog).length;
    const result = await withClient(client, new StreamableHTTPClientTransport(new URL(`${http.origin}/mcp`)), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      assert.equal(toolText(await client.callTool({ name: 'echo', arguments: { text: 'over http' } })), 'over http');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'via http', maxTokens: 77 } });
    });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.params, expectedSamplingParams('via http', 77, 'legacy-fixture'));
    assert.equal(calls[0]!.hasSessionId, true);
    const expected = answer(`http answer to ${JSON.stringify(calls[0]!.params.messages)}`);
    assert.deepEqual(JSON.parse(toolText(result)), expected);
    assert.deepEqual(readFixtureLog(httpLog).slice(before), [{ tool: 'ask_model', ok: true, result: expected }]);
  });

  test('Streamable HTTP: versionNegotiation auto lands legacy; rejection reported as SAMPLING_ERROR', async () => {
    const { client } = makeSamplingClient({
      auto: true,
      behaviour: () => {
        throw new ProtocolError(-1, 'User rejected sampling request');
      },
    });
    const result = await withClient(client, new StreamableHTTPClientTransport(new URL(`${http.origin}/mcp`)), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'no' } });
    });
    assert.equal(result.isError, true);
    assert.equal(toolText(result), 'SAMPLING_ERROR -1 User rejected sampling request');
  });

  test('Streamable HTTP: sampling on the standalone GET stream (FIXTURE_SAMPLING_ROUTE=standalone) also reaches the handler', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('standalone stream') });
    const result = await withClient(client, new StreamableHTTPClientTransport(new URL(`${standalone.origin}/mcp`)), () =>
      client.callTool({ name: 'ask_model', arguments: { prompt: 'p' } }),
    );
    assert.equal(calls.length, 1);
    assert.equal(JSON.parse(toolText(result)).content.text, 'standalone stream');
  });

  test('HTTP+SSE (legacy transport): sampling round-trips through SSEClientTransport', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('over sse') });
    const result = await withClient(client, new SSEClientTransport(new URL(`${sse.origin}/sse`)), () =>
      client.callTool({ name: 'ask_model', arguments: { prompt: 'sse prompt' } }),
    );
    assert.deepEqual(calls[0]!.params, expectedSamplingParams('sse prompt', 200, 'legacy-fixture'));
    assert.deepEqual(JSON.parse(toolText(result)), answer('over sse'));
  });
});

// ---------------------------------------------------------------------------------------------
// modern (v2 SDK) server: sampling is embedded in input_required

describe('modern-server (v2 SDK, input_required sampling)', () => {
  let http: SpawnedHttpFixture;
  const httpLog = tempLogFile();

  before(async () => {
    http = await spawnHttpFixture(MODERN_SERVER, { env: { FIXTURE_LOG: httpLog } });
  });
  after(async () => {
    await http?.stop();
  });

  test('stdio + auto: era modern; handler fulfils the embedded request; result carries the answer', async () => {
    const log = tempLogFile();
    const { client, calls } = makeSamplingClient({ auto: true, behaviour: () => answer('modern stdio answer'), probeSend: true });
    const result = await withClient(client, stdioTransport(MODERN_SERVER, { FIXTURE_LOG: log }), async () => {
      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(toolText(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })), 'hi');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'modern prompt', maxTokens: 42 } });
    });
    assert.notEqual(result.isError, true);
    assert.deepEqual(JSON.parse(toolText(result)), answer('modern stdio answer'));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.params, expectedSamplingParams('modern prompt', 42, 'modern-fixture'));
    // how an input_required fulfilment looks to the handler:
    assert.equal(calls[0]!.ctxId, 'answer', 'ctx.mcpReq.id is the inputRequests key');
    assert.equal(calls[0]!.ctxMethod, 'sampling/createMessage');
    assert.equal(calls[0]!.sendThrows, true, 'ctx.mcpReq.send is unavailable during fulfilment');
    assert.deepEqual(readFixtureLog(log), [{ tool: 'ask_model', ok: true, result: answer('modern stdio answer'), era: 'modern' }]);
  });

  test('Streamable HTTP + auto: era modern; handler invoked through input_required', async () => {
    const before = readFixtureLog(httpLog).length;
    const { client, calls } = makeSamplingClient({ auto: true, behaviour: () => answer('modern http answer') });
    const result = await withClient(client, new StreamableHTTPClientTransport(new URL(`${http.origin}/mcp`)), async () => {
      assert.equal(client.getProtocolEra(), 'modern');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'over http' } });
    });
    assert.deepEqual(JSON.parse(toolText(result)), answer('modern http answer'));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.ctxId, 'answer');
    assert.deepEqual(calls[0]!.params, expectedSamplingParams('over http', 200, 'modern-fixture'));
    assert.deepEqual(readFixtureLog(httpLog).slice(before), [
      { tool: 'ask_model', ok: true, result: answer('modern http answer'), era: 'modern' },
    ]);
  });

  test('modern: a throwing handler rejects callTool locally with that ProtocolError (nothing reaches the server)', async () => {
    const log = tempLogFile();
    const { client } = makeSamplingClient({
      auto: true,
      behaviour: () => {
        throw new ProtocolError(-1, 'User rejected sampling request');
      },
    });
    await withClient(client, stdioTransport(MODERN_SERVER, { FIXTURE_LOG: log }), async () => {
      await assert.rejects(client.callTool({ name: 'ask_model', arguments: { prompt: 'x' } }), (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.equal(err.code, -1);
        assert.equal(err.message, 'User rejected sampling request');
        return true;
      });
    });
    assert.deepEqual(readFixtureLog(log), []);
  });

  test('modern: aborting callTool aborts the fulfilling handler signal', async () => {
    const { client, calls } = makeSamplingClient({
      auto: true,
      behaviour: (call) =>
        new Promise<CreateMessageResult>((resolve) => call.signal.addEventListener('abort', () => resolve(answer('late')))),
    });
    await withClient(client, stdioTransport(MODERN_SERVER), async () => {
      const controller = new AbortController();
      const pending = client.callTool({ name: 'ask_model', arguments: { prompt: 'x' } }, { signal: controller.signal });
      while (calls.length === 0) await new Promise((res) => setTimeout(res, 10));
      controller.abort(new Error('user cancelled'));
      await assert.rejects(pending);
    });
    assert.equal(calls[0]!.signal.aborted, true);
    assert.match(String(calls[0]!.signal.reason), /user cancelled/);
  });

  test('stdio, default (legacy) client: the SDK shim pushes the same request', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('shimmed') });
    const result = await withClient(client, stdioTransport(MODERN_SERVER), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'legacy client' } });
    });
    assert.equal(typeof calls[0]!.ctxId, 'number', 'pushed: ctx.mcpReq.id is a JSON-RPC id');
    assert.deepEqual(withoutMeta(calls[0]!.params), expectedSamplingParams('legacy client', 200, 'modern-fixture'));
    assert.deepEqual(JSON.parse(toolText(result)), answer('shimmed'));
  });

  test('HTTP, default (legacy) client: stateless legacy serving cannot push sampling (documented SDK limitation)', async () => {
    const { client, calls } = makeSamplingClient({ behaviour: () => answer('never') });
    const result = await withClient(client, new StreamableHTTPClientTransport(new URL(`${http.origin}/mcp`)), async () => {
      assert.equal(client.getProtocolEra(), 'legacy');
      return client.callTool({ name: 'ask_model', arguments: { prompt: 'x' } });
    });
    assert.equal(calls.length, 0);
    assert.equal(result.isError, true);
    assert.match(toolText(result), /cannot receive server-to-client requests/);
  });
});

// ---------------------------------------------------------------------------------------------
// fake OpenAI-compatible LLM + AI SDK

describe('fake-llm (OpenAI-compatible) with the AI SDK', () => {
  let llm: FakeLlm;
  const apiKey = 'sk-fixture-test';

  before(async () => {
    llm = await startFakeLlm({ apiKey });
  });
  after(async () => {
    await llm?.close();
  });

  const provider = () => createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey, includeUsage: true });

  test('GET /v1/models lists the configured models', async () => {
    const res = await fetch(`${llm.url}/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: Array<{ id: string }> };
    assert.deepEqual(
      body.data.map((m) => m.id),
      ['gpt-test', 'gpt-other'],
    );
  });

  test('generateText: request carries messages, system prompt, max_tokens, temperature, stop', async () => {
    llm.setReply({ text: 'Four.', finishReason: 'stop', usage: { prompt_tokens: 11, completion_tokens: 2 } });
    const start = llm.requests.length;
    const result = await generateText({
      model: provider()('gpt-test'),
      system: 'You are a terse assistant.',
      prompt: 'What is 2+2?',
      maxOutputTokens: 64,
      temperature: 0.7,
      stopSequences: ['END'],
      maxRetries: 0,
    });
    assert.equal(result.text, 'Four.');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.inputTokens, 11);
    assert.equal(result.usage.outputTokens, 2);
    const recorded = llm.requests.slice(start);
    assert.equal(recorded.length, 1);
    const req = recorded[0]!;
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, `Bearer ${apiKey}`);
    assert.equal(req.body.model, 'gpt-test');
    assert.deepEqual(req.body.messages, [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'What is 2+2?' },
    ]);
    assert.equal(req.body.max_tokens, 64);
    assert.equal(req.body.temperature, 0.7);
    assert.deepEqual(req.body.stop, ['END']);
    assert.notEqual(req.body.stream, true);
  });

  test('streamText: SSE chunks, finish reason, usage (stream_options.include_usage), chunk delay', async () => {
    const text = 'The quick brown fox jumps over the lazy dog again.';
    llm.setReply({ text, finishReason: 'length', chunkDelayMs: 30 });
    const start = llm.requests.length;
    const t0 = Date.now();
    const result = streamText({
      model: provider()('gpt-other'),
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Tell me about foxes' },
        { role: 'assistant', content: 'Sure.' },
        { role: 'user', content: 'Go on' },
      ],
      maxOutputTokens: 10,
      temperature: 0.2,
      stopSequences: ['END', 'STOP'],
      maxRetries: 0,
    });
    const parts: string[] = [];
    for await (const delta of result.textStream) parts.push(delta);
    const elapsed = Date.now() - t0;
    assert.ok(parts.length >= 3, `expected several text deltas, got ${JSON.stringify(parts)}`);
    assert.equal(parts.join(''), text);
    assert.equal(await result.finishReason, 'length');
    const usage = await result.usage;
    assert.equal(usage.outputTokens, 4); // default: one token per streamed chunk (4 chunks)
    assert.equal(usage.inputTokens, 9); // default: word count of all messages (2 + 4 + 1 + 2)
    assert.ok(elapsed >= 4 * 30 - 10, `stream finished after ${elapsed}ms, expected delays`);
    const req = llm.requests.slice(start)[0]!;
    assert.equal(req.body.stream, true);
    assert.deepEqual(req.body.stream_options, { include_usage: true });
    assert.equal(req.body.model, 'gpt-other');
    assert.equal(req.body.max_tokens, 10);
    assert.equal(req.body.temperature, 0.2);
    assert.deepEqual(req.body.stop, ['END', 'STOP']);
    assert.deepEqual(
      req.body.messages.map((m: { role: string }) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(req.aborted, false);
  });

  test('streamText abort: the recorded request is marked aborted', async () => {
    llm.setReply({ text: 'one two three four five six seven eight', chunkDelayMs: 200 });
    const start = llm.requests.length;
    const controller = new AbortController();
    const result = streamText({ model: provider()('gpt-test'), prompt: 'long', abortSignal: controller.signal, maxRetries: 0 });
    const seen: string[] = [];
    try {
      for await (const delta of result.textStream) {
        seen.push(delta);
        controller.abort();
      }
    } catch {
      // abort surfaces as an AbortError on some versions
    }
    for (let i = 0; i < 50 && !llm.requests[start]?.aborted; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(llm.requests[start]!.aborted, true);
    assert.ok(seen.join('').length < 'one two three four five six seven eight'.length);
  });

  test('wrong API key → 401 APICallError; status 429/500 → OpenAI-style error body', async () => {
    llm.setReply({ text: 'unused' });
    const bad = createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 'sk-wrong' });
    await assert.rejects(generateText({ model: bad('gpt-test'), prompt: 'x', maxRetries: 0 }), (err: unknown) => {
      assert.ok(APICallError.isInstance(err), `expected APICallError, got ${String(err)}`);
      assert.equal(err.statusCode, 401);
      assert.match(err.message, /Incorrect API key/);
      return true;
    });
    for (const status of [429, 500]) {
      llm.setReply({ status, errorMessage: `forced ${status}` });
      await assert.rejects(generateText({ model: provider()('gpt-test'), prompt: 'x', maxRetries: 0 }), (err: unknown) => {
        assert.ok(APICallError.isInstance(err));
        assert.equal(err.statusCode, status);
        assert.equal(err.message, `forced ${status}`);
        return true;
      });
    }
    llm.setReply({});
  });

  test('standalone: `fake-llm.ts --port 0` prints LISTENING <url>', async () => {
    const { command, args } = fixtureCommand(FAKE_LLM, ['--port', '0', '--text', 'standalone reply']);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('no LISTENING line')), 20_000);
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /LISTENING (\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const body = (await res.json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]!.message.content, 'standalone reply');
      assert.equal(body.choices[0]!.finish_reason, 'stop');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
