/**
 * Any OpenAI-compatible chat completions endpoint (OpenAI, Ollama, LM Studio, vLLM, OpenRouter)
 * through the AI SDK. Streams, honours Stop via the abort signal, never retries on its own:
 * the user decides whether to retry.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { describeModelError } from './model-errors.js';
import type { ModelOutput, ModelRun, ModelRunner } from './model-runner.js';
import { toModelMessages, toStopReason } from './sampling-to-ai.js';

export interface OpenAICompatibleSettings {
  name: string;
  baseUrl: string;
  apiKey?: string;
}

export class ModelCallError extends Error {}

export class OpenAICompatibleRunner implements ModelRunner {
  constructor(private readonly settings: OpenAICompatibleSettings) {}

  async run({ params, model, signal, onDelta }: ModelRun): Promise<ModelOutput> {
    const provider = createOpenAICompatible({
      name: 'sluice',
      baseURL: this.settings.baseUrl,
      apiKey: this.settings.apiKey,
      includeUsage: true,
    });
    let failure: unknown;
    const stream = streamText({
      model: provider.chatModel(model),
      system: params.systemPrompt,
      messages: toModelMessages(params.messages),
      maxOutputTokens: params.maxTokens,
      temperature: params.temperature,
      stopSequences: params.stopSequences?.length ? params.stopSequences : undefined,
      abortSignal: signal,
      maxRetries: 0,
      onError: ({ error }) => {
        failure = error;
      },
    });
    let text = '';
    let stopReason = 'endTurn';
    let usage: ModelOutput['usage'] = {};
    try {
      for await (const part of stream.fullStream) {
        if (part.type === 'text-delta') {
          text += part.text;
          onDelta(part.text);
        } else if (part.type === 'finish') {
          stopReason = toStopReason(part.finishReason);
          usage = { inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens };
        } else if (part.type === 'error') {
          failure = part.error;
        }
      }
    } catch (error) {
      failure ??= error;
    }
    if (signal.aborted) throw new ModelCallError('Generation stopped.');
    if (failure !== undefined) throw new ModelCallError(describeModelError(failure, this.settings.name));
    return { result: { role: 'assistant', content: { type: 'text', text }, model, stopReason }, usage };
  }
}
