/**
 * Runs one sampling request against any AI SDK provider (Anthropic, OpenAI, Gemini,
 * OpenAI-compatible). Streams text, honours Stop through the abort signal, never retries on its
 * own (the user decides whether to retry), and returns the model's tool calls as MCP `tool_use`
 * content when the server offered tools.
 */
import { streamText, type LanguageModel } from 'ai';
import type { SamplingContent } from '../../../shared/mcp.js';
import { describeModelError } from './model-errors.js';
import type { ModelOutput, ModelRun, ModelRunner } from './model-runner.js';
import { languageModel, metadataOptions, type ProviderConnection } from './provider-kinds.js';
import { toModelMessages, toStopReason, toToolChoice, toToolSet } from './sampling-to-ai.js';
import { endedByStopSequence, stopEvidenceOf, type StopEvidence } from './stop-sequence.js';

export class ModelCallError extends Error {}

export class AiSdkRunner implements ModelRunner {
  /** Provider clients build their response schemas when created: make each model once, not per request. */
  private readonly models = new Map<string, LanguageModel>();

  constructor(private readonly connection: ProviderConnection) {}

  private modelFor(name: string): LanguageModel {
    let model = this.models.get(name);
    if (!model) {
      model = languageModel(this.connection, name);
      this.models.set(name, model);
    }
    return model;
  }

  async run({ params, model, signal, onDelta }: ModelRun): Promise<ModelOutput> {
    let failure: unknown;
    let messages;
    try {
      messages = toModelMessages(params.messages);
    } catch (error) {
      throw new ModelCallError((error as Error).message);
    }
    const tools = toToolSet(params.tools);
    const stream = streamText({
      model: this.modelFor(model),
      system: params.systemPrompt,
      messages,
      maxOutputTokens: params.maxTokens,
      temperature: params.temperature,
      stopSequences: params.stopSequences?.length ? params.stopSequences : undefined,
      tools,
      toolChoice: tools ? toToolChoice(params.toolChoice) : undefined,
      providerOptions: metadataOptions(this.connection.kind, params.metadata) as Parameters<typeof streamText>[0]['providerOptions'],
      abortSignal: signal,
      maxRetries: 0,
      onError: ({ error }) => {
        failure = error;
      },
    });
    let text = '';
    const toolUses: SamplingContent[] = [];
    let stopReason = 'endTurn';
    let evidence: StopEvidence | undefined;
    let usage: ModelOutput['usage'] = {};
    try {
      for await (const part of stream.fullStream) {
        if (part.type === 'text-delta') {
          text += part.text;
          onDelta(part.text);
        } else if (part.type === 'tool-call') {
          toolUses.push({
            type: 'tool_use',
            id: part.toolCallId,
            name: part.toolName,
            input: (part.input ?? {}) as Record<string, unknown>,
          });
        } else if (part.type === 'finish-step') {
          evidence = stopEvidenceOf(part.providerMetadata) ?? evidence;
        } else if (part.type === 'finish') {
          stopReason = toStopReason(part.finishReason, endedByStopSequence(part.rawFinishReason, evidence, params.stopSequences));
          usage = { inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens };
        } else if (part.type === 'error') {
          failure = part.error;
        }
      }
    } catch (error) {
      failure ??= error;
    }
    if (signal.aborted) throw new ModelCallError('Generation stopped.');
    if (failure !== undefined) throw new ModelCallError(describeModelError(failure, this.connection.name));
    if (toolUses.length > 0) {
      // The spec: an answer with tool calls has stopReason toolUse; text before the calls is kept.
      const content: SamplingContent[] = text ? [{ type: 'text', text }, ...toolUses] : toolUses;
      return { result: { role: 'assistant', content, model, stopReason: 'toolUse' }, usage };
    }
    return { result: { role: 'assistant', content: { type: 'text', text }, model, stopReason }, usage };
  }
}
