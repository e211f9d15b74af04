/**
 * Sampling overhead: the same server asks for 500 completions in a row over stdio, answered by a
 * loopback fake model with no delay. Once through Sluice's core (queue, auto-approval, provider,
 * history) and once through a bare SDK Client whose handler calls the same model the same way.
 */
import path from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { streamText } from 'ai';
import { startFakeLlm } from '../tests/fixtures/fake-llm.js';
import { startTestHost, waitForState } from '../tests/helpers/test-host.js';
import type { BenchSection } from './run.js';
import { ms, percentile, verdict } from './stats.js';

const ROUNDS = 500;
/** Each client runs in two passes, in the order bare, Sluice, Sluice, bare, so warm-up favours neither. */
const PASS = ROUNDS / 2;
const WARMUP = 20;
const SERVER = path.join(__dirname, 'fixtures', 'sampling-server.mjs');

function parseDurations(result: { content: Array<{ type: string; text?: string }> }): number[] {
  return JSON.parse(result.content[0]?.text ?? '[]') as number[];
}

async function throughSluice(llmUrl: string): Promise<number[]> {
  const host = await startTestHost();
  await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llmUrl, models: ['gpt-test'] });
  // The server's auto-approve policy: the broker answers without a dialog, as a user would set it up.
  await host.invoke('sampling:setPolicy', { serverName: 'bench', policy: { policy: 'auto' } });
  await host.invoke('servers:save', {
    definition: { name: 'bench', type: 'stdio', command: process.execPath, args: [SERVER], era: 'legacy' },
  });
  await waitForState(host, 'bench', 'connected');
  await host.invoke('servers:callTool', { name: 'bench', tool: 'sample_many', arguments: { count: WARMUP } });
  const durations = parseDurations(
    await host.invoke('servers:callTool', { name: 'bench', tool: 'sample_many', arguments: { count: PASS } }),
  );
  await host.close();
  return durations;
}

async function throughBareClient(llmUrl: string): Promise<number[]> {
  const provider = createOpenAICompatible({ name: 'bare', baseURL: llmUrl, includeUsage: true });
  const client = new Client({ name: 'bare', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler('sampling/createMessage', async (request) => {
    const [first] = request.params.messages;
    const prompt = first && !Array.isArray(first.content) && first.content.type === 'text' ? first.content.text : '';
    const stream = streamText({ model: provider.chatModel('gpt-test'), prompt, maxOutputTokens: request.params.maxTokens, maxRetries: 0 });
    let text = '';
    for await (const delta of stream.textStream) text += delta;
    return { role: 'assistant', content: { type: 'text', text }, model: 'gpt-test', stopReason: 'endTurn' };
  });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER] }));
  await client.callTool({ name: 'sample_many', arguments: { count: WARMUP } }, { timeout: 600_000 });
  const result = await client.callTool({ name: 'sample_many', arguments: { count: PASS } }, { timeout: 600_000 });
  await client.close();
  return parseDurations(result);
}

export async function benchSamplingOverhead(): Promise<BenchSection> {
  const llm = await startFakeLlm({ reply: { text: 'ok', chunkDelayMs: 0 } });
  try {
    const bare = await throughBareClient(llm.url);
    const sluice = await throughSluice(llm.url);
    sluice.push(...(await throughSluice(llm.url)));
    bare.push(...(await throughBareClient(llm.url)));
    const [bareMedian, bareP95] = [percentile(bare, 50), percentile(bare, 95)];
    const [sluiceMedian, sluiceP95] = [percentile(sluice, 50), percentile(sluice, 95)];
    const ratio = sluiceMedian / bareMedian;
    return {
      title: `1. Sampling overhead (${ROUNDS} round trips over stdio, auto-approved, fake model with no delay)`,
      lines: [
        '| client | median | p95 |',
        '|---|---|---|',
        `| bare SDK Client | ${ms(bareMedian)} | ${ms(bareP95)} |`,
        `| Sluice core | ${ms(sluiceMedian)} | ${ms(sluiceP95)} |`,
        '',
        `Ratio (median, Sluice / bare): **${ratio.toFixed(2)}**; p95 ratio ${(sluiceP95 / bareP95).toFixed(2)}. Target ≤ 1.2: ${verdict(ratio <= 1.2)}.`,
      ],
    };
  } finally {
    await llm.close();
  }
}
