/**
 * Every provider kind against a loopback fake that speaks that provider's HTTP API and records
 * what it received: Anthropic (/v1/messages, SSE events), OpenAI and OpenAI-compatible
 * (/v1/chat/completions), Google Gemini (:streamGenerateContent?alt=sse). Driven through the
 * host's invoke channels as the renderer does; the sampling request is queued the way a server's
 * `sampling/createMessage` is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import type { ConfigurableProviderKind } from '../../shared/domain.js';
import type { CreateMessageParams, SamplingContent } from '../../shared/mcp.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic.js';
import { startFakeGemini, type FakeGemini } from '../fixtures/fake-gemini.js';
import { startFakeLlm, type FakeLlm, type RecordedRequest } from '../fixtures/fake-llm.js';
import { nextEvent, startTestHost } from '../helpers/test-host.js';

const KEY = 'sk-provider-test';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface Fake {
  url: string;
  models: string[];
  calls(): RecordedRequest[];
  replyText(text: string, delayMs?: number): void;
  replyToolCall(name: string, input: Record<string, unknown>): void;
  replyError(status: number): void;
  close(): Promise<void>;
}

async function startFake(kind: ConfigurableProviderKind): Promise<Fake> {
  if (kind === 'anthropic') {
    const fake: FakeAnthropic = await startFakeAnthropic({ apiKey: KEY });
    return {
      url: fake.url,
      models: ['claude-sonnet-4-5'],
      calls: () => fake.messageRequests(),
      replyText: (text, chunkDelayMs = 0) => fake.setReply({ text, chunkDelayMs }),
      replyToolCall: (name, input) => fake.setReply({ text: '', toolUse: { id: 'toolu_1', name, input } }),
      replyError: (status) => fake.setReply({ status }),
      close: () => fake.close(),
    };
  }
  if (kind === 'google') {
    const fake: FakeGemini = await startFakeGemini({ apiKey: KEY });
    return {
      url: fake.url,
      models: ['gemini-test-flash'],
      calls: () => fake.generateRequests(),
      replyText: (text, chunkDelayMs = 0) => fake.setReply({ text, chunkDelayMs }),
      replyToolCall: (name, args) => fake.setReply({ text: '', functionCall: { name, args } }),
      replyError: (status) => fake.setReply({ status }),
      close: () => fake.close(),
    };
  }
  const fake: FakeLlm = await startFakeLlm({ apiKey: KEY, models: ['gpt-test'] });
  return {
    url: fake.url,
    models: ['gpt-test'],
    calls: () => fake.chatRequests(),
    replyText: (text, chunkDelayMs = 0) => fake.setReply({ text, chunkDelayMs }),
    replyToolCall: (name, args) => fake.setReply({ text: '', toolCalls: [{ id: 'call_1', name, arguments: args }] }),
    replyError: (status) => fake.setReply({ status }),
    close: () => fake.close(),
  };
}

const baseParams: CreateMessageParams = {
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image', data: PNG, mimeType: 'image/png' },
      ],
    },
  ],
  systemPrompt: 'Be brief.',
  maxTokens: 77,
  temperature: 0.3,
  stopSequences: ['END'],
  metadata: { user_id: 'user-42' },
};

/** The system prompt, max tokens, temperature, stop sequences and metadata as each API spells them. */
function sentParams(kind: ConfigurableProviderKind, body: any) {
  switch (kind) {
    case 'anthropic':
      return {
        system: body.system?.map((part: { text: string }) => part.text).join(''),
        maxTokens: body.max_tokens,
        temperature: body.temperature,
        stop: body.stop_sequences,
        metadata: body.metadata,
        image: JSON.stringify(body.messages).includes(PNG),
      };
    case 'google':
      return {
        system: body.systemInstruction?.parts?.map((part: { text: string }) => part.text).join(''),
        maxTokens: body.generationConfig?.maxOutputTokens,
        temperature: body.generationConfig?.temperature,
        stop: body.generationConfig?.stopSequences,
        metadata: undefined,
        image: JSON.stringify(body.contents).includes(PNG),
      };
    default:
      return {
        system: body.messages?.[0]?.role === 'system' ? body.messages[0].content : undefined,
        maxTokens: body.max_tokens,
        temperature: body.temperature,
        stop: body.stop,
        metadata: body.metadata,
        image: JSON.stringify(body.messages).includes(PNG),
      };
  }
}

const EXPECTED_METADATA: Record<ConfigurableProviderKind, unknown> = {
  anthropic: { user_id: 'user-42' },
  openai: { user_id: 'user-42' },
  google: undefined,
  'openai-compatible': undefined,
};

for (const kind of ['anthropic', 'openai', 'google', 'openai-compatible'] as const) {
  describe(`provider: ${kind}`, () => {
    let fake: Fake;
    let host: SluiceHost;
    let providerId: string;

    before(async () => {
      fake = await startFake(kind);
      host = await startTestHost();
      const saved = await host.invoke('providers:save', {
        kind,
        name: `Fake ${kind}`,
        baseUrl: fake.url,
        models: fake.models,
        apiKey: KEY,
      });
      providerId = saved.id;
      assert.equal(saved.hasApiKey, true);
      assert.equal(JSON.stringify(saved).includes(KEY), false, 'the key never reaches the renderer');
    });
    after(async () => {
      await host.close();
      await fake.close();
    });

    /** Queues a request as a server would, and returns its pending id and the server's answer. */
    async function ask(params: CreateMessageParams) {
      const added = nextEvent(host, 'sampling:added');
      const answer = host.broker.enqueue({ serverName: 'srv', route: 'push' }, params);
      answer.catch(() => undefined);
      return { id: (await added).id, answer };
    }

    it('test connection lists the models with the stored key', async () => {
      const result = await host.invoke('providers:test', { id: providerId });
      assert.equal(result.ok, true, result.message);
      assert.ok(result.models?.includes(fake.models[0]!), JSON.stringify(result.models));
    });

    it('streams the answer; every parameter and the image reach the model', async () => {
      fake.replyText('A tiny red square, nothing else.', 5);
      const { id, answer } = await ask(baseParams);
      const deltas: string[] = [];
      const stop = host.events.on('sampling:delta', (delta) => delta.id === id && deltas.push(delta.text));
      const generation = await host.invoke('sampling:generate', { id, params: baseParams, model: { providerId, model: fake.models[0]! } });
      stop();
      assert.deepEqual(generation.result.content, { type: 'text', text: 'A tiny red square, nothing else.' });
      assert.equal(generation.result.stopReason, 'endTurn');
      assert.equal(generation.result.model, fake.models[0]);
      assert.ok(deltas.length > 1, 'streamed in several deltas');
      assert.ok((generation.usage.outputTokens ?? 0) > 0, 'usage reported');
      const body = fake.calls().at(-1)?.body;
      assert.deepEqual(sentParams(kind, body), {
        system: 'Be brief.',
        maxTokens: 77,
        temperature: 0.3,
        stop: ['END'],
        metadata: EXPECTED_METADATA[kind],
        image: true,
      });
      await host.invoke('sampling:send', { id, result: generation.result });
      assert.deepEqual(await answer, generation.result);
    });

    it("sampling with tools: the model's tool call goes back as tool_use; the tool_result comes back in", async () => {
      const tools = [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ];
      fake.replyToolCall('get_weather', { city: 'Paris' });
      const first = await ask({
        messages: [{ role: 'user', content: { type: 'text', text: 'Weather in Paris?' } }],
        maxTokens: 50,
        tools,
        toolChoice: { mode: 'auto' },
      });
      const params = (await host.invoke('sampling:list', {})).find((request) => request.id === first.id)!.params;
      const generation = await host.invoke('sampling:generate', { id: first.id, params, model: { providerId, model: fake.models[0]! } });
      assert.equal(generation.result.stopReason, 'toolUse');
      const blocks = [generation.result.content].flat();
      const toolUse = blocks.find((block): block is Extract<SamplingContent, { type: 'tool_use' }> => block.type === 'tool_use');
      assert.ok(toolUse, JSON.stringify(blocks));
      assert.equal(toolUse.name, 'get_weather');
      assert.deepEqual(toolUse.input, { city: 'Paris' });
      const sentTools = JSON.stringify(fake.calls().at(-1)?.body);
      assert.match(sentTools, /get_weather/);
      assert.match(sentTools, /Weather for a city/);
      await host.invoke('sampling:send', { id: first.id, result: generation.result });
      const result = await first.answer;
      assert.deepEqual(result.content, generation.result.content);

      // The server ran the tool and asks again with the result.
      fake.replyText('It is sunny in Paris.');
      const secondParams: CreateMessageParams = {
        messages: [
          { role: 'user', content: { type: 'text', text: 'Weather in Paris?' } },
          { role: 'assistant', content: [toolUse] },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: toolUse.id, content: [{ type: 'text', text: 'sunny, 24°C' }] }] },
        ],
        maxTokens: 50,
        tools,
      };
      const second = await ask(secondParams);
      const answer = await host.invoke('sampling:generate', {
        id: second.id,
        params: secondParams,
        model: { providerId, model: fake.models[0]! },
      });
      assert.deepEqual(answer.result.content, { type: 'text', text: 'It is sunny in Paris.' });
      const sent = JSON.stringify(fake.calls().at(-1)?.body);
      assert.match(sent, /sunny, 24°C/, 'the tool result reached the model');
      assert.ok(sent.includes(toolUse.id) || kind === 'google', 'the tool result names the call it answers');
      await host.invoke('sampling:send', { id: second.id, result: answer.result });
      await second.answer;
    });

    it('a rejected key is reported in one clear sentence; Retry works once it is fixed', async () => {
      fake.replyError(kind === 'google' ? 400 : 401);
      // Gemini answers a bad key with 400; the fakes only do that for a wrong key, so use a wrong key there.
      const saveKey = (apiKey: string) =>
        host.invoke('providers:save', { id: providerId, kind, name: `Fake ${kind}`, baseUrl: fake.url, models: fake.models, apiKey });
      if (kind === 'google') await saveKey('wrong');
      fake.replyText('ok');
      if (kind !== 'google') fake.replyError(401);
      const { id, answer } = await ask(baseParams);
      await assert.rejects(
        host.invoke('sampling:generate', { id, params: baseParams, model: { providerId, model: fake.models[0]! } }),
        /rejected the API key \(HTTP (401|400)\)/,
      );
      const test = await host.invoke('providers:test', { id: providerId });
      if (kind === 'google') {
        assert.equal(test.ok, false);
        assert.match(test.message, /rejected the API key/);
        await saveKey(KEY);
      }
      fake.replyText('Recovered.');
      const retried = await host.invoke('sampling:generate', { id, params: baseParams, model: { providerId, model: fake.models[0]! } });
      assert.deepEqual(retried.result.content, { type: 'text', text: 'Recovered.' });
      await host.invoke('sampling:reject', { id });
      await assert.rejects(answer);
    });

    it('rate limiting (429) says so', async () => {
      fake.replyError(429);
      const { id, answer } = await ask(baseParams);
      await assert.rejects(
        host.invoke('sampling:generate', { id, params: baseParams, model: { providerId, model: fake.models[0]! } }),
        /rate limiting requests \(HTTP 429\)|HTTP 429/,
      );
      // Giving up after a model error: the server learns what failed.
      await host.invoke('sampling:reject', { id });
      await assert.rejects(answer, (error: { code?: unknown; message?: string }) => {
        assert.equal(error.code, -1, 'a rejection by the user, as the spec says');
        assert.match(error.message ?? '', /The model call failed and the user gave up: .*429/);
        return true;
      });
    });
  });
}

describe('stop reasons', () => {
  it('an answer ended by a stop sequence has stopReason "stopSequence" (Anthropic says so)', async () => {
    const fake = await startFakeAnthropic({ apiKey: KEY, reply: { text: 'Counting: 1, 2', stopReason: 'stop_sequence' } });
    const host = await startTestHost();
    try {
      const saved = await host.invoke('providers:save', {
        kind: 'anthropic',
        name: 'Claude',
        baseUrl: fake.url,
        models: ['claude-sonnet-4-5'],
        apiKey: KEY,
      });
      const added = nextEvent(host, 'sampling:added');
      const params = { ...baseParams, stopSequences: [', 3'] };
      host.broker.enqueue({ serverName: 'srv', route: 'push' }, params).catch(() => undefined);
      const { id } = await added;
      const generation = await host.invoke('sampling:generate', {
        id,
        params,
        model: { providerId: saved.id, model: 'claude-sonnet-4-5' },
      });
      assert.equal(generation.result.stopReason, 'stopSequence');
      await host.invoke('sampling:reject', { id });
    } finally {
      await host.close();
      await fake.close();
    }
  });
});

/** Generates one answer through a provider of `kind` at `baseUrl` and returns its stopReason. */
async function stopReasonFrom(
  kind: ConfigurableProviderKind,
  baseUrl: string,
  model: string,
  stopSequences = [', 3'],
): Promise<string | undefined> {
  const host = await startTestHost();
  try {
    const saved = await host.invoke('providers:save', { kind, name: kind, baseUrl, models: [model], apiKey: KEY });
    const added = nextEvent(host, 'sampling:added');
    const params = { ...baseParams, stopSequences };
    host.broker.enqueue({ serverName: 'srv', route: 'push' }, params).catch(() => undefined);
    const { id } = await added;
    const generation = await host.invoke('sampling:generate', { id, params, model: { providerId: saved.id, model } });
    await host.invoke('sampling:reject', { id });
    return generation.result.stopReason;
  } finally {
    await host.close();
  }
}

describe('stop reasons from OpenAI-compatible servers that report the matched stop sequence', () => {
  let fake: FakeLlm;
  before(async () => {
    fake = await startFakeLlm({ apiKey: KEY });
  });
  after(async () => {
    await fake.close();
  });

  const cases: Array<{ server: string; fields: Record<string, unknown> | undefined; stopReason: string }> = [
    { server: 'vLLM (stop_reason: the matched string)', fields: { stop_reason: ', 3' }, stopReason: 'stopSequence' },
    { server: 'SGLang (matched_stop: the matched string)', fields: { matched_stop: ', 3' }, stopReason: 'stopSequence' },
    {
      server: "OpenRouter (native_finish_reason: Anthropic's stop_sequence)",
      fields: { native_finish_reason: 'stop_sequence' },
      stopReason: 'stopSequence',
    },
    { server: 'vLLM at the end of sequence (stop_reason: null)', fields: { stop_reason: null }, stopReason: 'endTurn' },
    { server: 'SGLang at the end of sequence (matched_stop: a token id)', fields: { matched_stop: 151645 }, stopReason: 'endTurn' },
    { server: 'a server that only says "stop" (Ollama, LM Studio)', fields: undefined, stopReason: 'endTurn' },
  ];
  for (const { server, fields, stopReason } of cases) {
    it(`${server} → ${stopReason}`, async () => {
      fake.setReply({ text: 'Counting: 1, 2', finishReason: 'stop', finishChoiceFields: fields });
      assert.equal(await stopReasonFrom('openai-compatible', fake.url, 'gpt-test'), stopReason);
      assert.deepEqual(fake.requests.at(-1)?.body?.stop, [', 3'], 'the stop sequence was sent');
    });
  }

  it("a matched string that is not one of the request's stop sequences is not taken for one", async () => {
    fake.setReply({ text: 'Counting: 1, 2', finishReason: 'stop', finishChoiceFields: { stop_reason: '</s>' } });
    assert.equal(await stopReasonFrom('openai-compatible', fake.url, 'gpt-test'), 'endTurn');
  });

  it('OpenAI and Gemini report a stop sequence as a plain stop: endTurn, never a guess', async () => {
    fake.setReply({ text: 'Counting: 1, 2', finishReason: 'stop', finishChoiceFields: undefined });
    assert.equal(await stopReasonFrom('openai', fake.url, 'gpt-test'), 'endTurn');
    const gemini = await startFakeGemini({ apiKey: KEY, reply: { text: 'Counting: 1, 2', finishReason: 'STOP' } });
    try {
      assert.equal(await stopReasonFrom('google', gemini.url, 'gemini-test-flash'), 'endTurn');
    } finally {
      await gemini.close();
    }
  });
});

describe('provider problems that need no model call', () => {
  it('a cloud provider without a key fails clearly, before any HTTP request', async () => {
    const fake = await startFakeAnthropic({ apiKey: KEY });
    const host = await startTestHost();
    try {
      const saved = await host.invoke('providers:save', {
        kind: 'anthropic',
        name: 'Claude',
        baseUrl: fake.url,
        models: ['claude-sonnet-4-5'],
      });
      assert.equal(saved.needsApiKey, true);
      assert.equal(saved.hasApiKey, false);
      const test = await host.invoke('providers:test', { id: saved.id });
      assert.equal(test.ok, false);
      assert.match(test.message, /needs an API key/);
      const added = nextEvent(host, 'sampling:added');
      const answer = host.broker.enqueue({ serverName: 'srv', route: 'push' }, baseParams);
      answer.catch(() => undefined);
      const { id } = await added;
      await assert.rejects(
        host.invoke('sampling:generate', { id, params: baseParams, model: { providerId: saved.id, model: 'claude-sonnet-4-5' } }),
        /Claude has no API key: add one in Providers/,
      );
      assert.equal(fake.requests.length, 0);
      await host.invoke('sampling:reject', { id });
    } finally {
      await host.close();
      await fake.close();
    }
  });

  it('an unreachable host is named in the error and in the connection test', async () => {
    const host = await startTestHost();
    try {
      const saved = await host.invoke('providers:save', {
        kind: 'openai-compatible',
        name: 'Gone',
        baseUrl: 'http://127.0.0.1:9/v1',
        models: ['m'],
      });
      const test = await host.invoke('providers:test', { id: saved.id });
      assert.equal(test.ok, false);
      assert.match(test.message, /Could not reach Gone at http:\/\/127\.0\.0\.1:9\/v1\/models/);
      const added = nextEvent(host, 'sampling:added');
      const answer = host.broker.enqueue({ serverName: 'srv', route: 'push' }, baseParams);
      answer.catch(() => undefined);
      const { id } = await added;
      await assert.rejects(
        host.invoke('sampling:generate', { id, params: baseParams, model: { providerId: saved.id, model: 'm' } }),
        /Could not reach Gone/,
      );
      await host.invoke('sampling:reject', { id });
    } finally {
      await host.close();
    }
  });

  it('keys are stored by the secret store, never in providers.json', async () => {
    const host = await startTestHost();
    try {
      await host.invoke('providers:save', { kind: 'openai', name: 'OpenAI', models: ['gpt-4o'], apiKey: 'sk-secret-value' });
      const { readFileSync } = await import('node:fs');
      const path = await import('node:path');
      const file = readFileSync(path.join((await host.invoke('app:info', {})).dataDir, 'providers.json'), 'utf8');
      assert.equal(file.includes('sk-secret-value'), false);
      const [view] = await host.invoke('providers:list', {});
      assert.equal(view?.hasApiKey, true);
      assert.equal(view?.baseUrl, undefined, 'the official API address is the default');
    } finally {
      await host.close();
    }
  });
});

describe('Test connection before saving', () => {
  it('tests the form as it is, with no model list, saves nothing, reports a wrong key and offers the models found', async () => {
    const fake = await startFakeAnthropic({ apiKey: KEY, models: ['claude-a', 'claude-b'] });
    const host = await startTestHost();
    try {
      const wrong = await host.invoke('providers:test', { kind: 'anthropic', name: 'Claude', baseUrl: fake.url, apiKey: 'wrong-key' });
      assert.equal(wrong.ok, false);
      assert.match(wrong.message, /Claude rejected the API key/);
      const right = await host.invoke('providers:test', { kind: 'anthropic', name: 'Claude', baseUrl: fake.url, apiKey: KEY });
      assert.equal(right.ok, true);
      assert.deepEqual(right.models, ['claude-a', 'claude-b']);
      assert.deepEqual(
        (await host.invoke('providers:list', {})).map((p) => p.id),
        ['manual'],
        'testing saved nothing',
      );

      // A saved provider's stored key stands in when the form has no new one.
      const saved = await host.invoke('providers:save', {
        kind: 'anthropic',
        name: 'Claude',
        baseUrl: fake.url,
        models: ['claude-a'],
        apiKey: KEY,
      });
      const stored = await host.invoke('providers:test', { id: saved.id, kind: 'anthropic', name: 'Claude (edited)', baseUrl: fake.url });
      assert.equal(stored.ok, true, stored.message);
      assert.match(stored.message, /Claude \(edited\)/);
    } finally {
      await host.close();
      await fake.close();
    }
  });
});
