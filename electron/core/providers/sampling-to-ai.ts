/**
 * Translation between MCP sampling shapes and the AI SDK's provider-neutral ones, so that every
 * provider Sluice supports gets the same mapping of messages, content, tools and stop reasons.
 *
 * Sampling with tools (spec 2025-11-25): the server's `tools` become AI SDK tools *without* an
 * `execute` function, so the model's tool calls come back to us (and then to the server as
 * `tool_use` content) instead of being run here. The server runs the tools and sends the
 * `tool_result` blocks in a later request's user message; those become AI SDK `tool` messages.
 */
import { jsonSchema, type FinishReason, type JSONValue, type ModelMessage, type ToolResultPart, type ToolSet } from 'ai';
import { contentBlocks, type CreateMessageParams, type SamplingContent, type SamplingMessage } from '../../../shared/mcp.js';

export class UnsupportedContentError extends Error {}

type ToolResultBlock = Extract<SamplingContent, { type: 'tool_result' }>;

function userPart(block: SamplingContent) {
  switch (block.type) {
    case 'text':
      return { type: 'text' as const, text: block.text };
    case 'image':
      return { type: 'image' as const, image: block.data, mediaType: block.mimeType };
    case 'audio':
      return { type: 'file' as const, data: block.data, mediaType: block.mimeType };
    default:
      throw new UnsupportedContentError(`"${block.type}" content cannot be mixed with other content in a user message`);
  }
}

function assistantPart(block: SamplingContent) {
  switch (block.type) {
    case 'text':
      return { type: 'text' as const, text: block.text };
    case 'tool_use':
      return { type: 'tool-call' as const, toolCallId: block.id, toolName: block.name, input: block.input };
    default:
      throw new UnsupportedContentError(`"${block.type}" content in an assistant message cannot be sent to a model`);
  }
}

function textOf(part: object): string {
  return 'text' in part && typeof part.text === 'string' ? part.text : '';
}

/** A tool result's content as the AI SDK's tool output: text stays text, anything else goes as JSON. */
function toolOutput(block: ToolResultBlock): ToolResultPart['output'] {
  const texts = block.content.filter((part) => part.type === 'text').map((part) => textOf(part));
  const onlyText = texts.length === block.content.length;
  if (block.structuredContent && !onlyText) {
    const value = block.structuredContent as JSONValue;
    return block.isError ? { type: 'error-json', value } : { type: 'json', value };
  }
  if (onlyText) {
    const value = texts.join('\n');
    return block.isError ? { type: 'error-text', value } : { type: 'text', value };
  }
  const value = JSON.parse(JSON.stringify(block.content)) as JSONValue;
  return block.isError ? { type: 'error-json', value } : { type: 'json', value };
}

export function toModelMessages(messages: readonly SamplingMessage[]): ModelMessage[] {
  // Tool results name only the call id; the AI SDK also wants the tool's name, which the matching
  // tool_use block in an earlier assistant message carries.
  const toolNames = new Map<string, string>();
  return messages.map((message): ModelMessage => {
    const blocks = contentBlocks(message.content);
    if (message.role === 'assistant') {
      for (const block of blocks) if (block.type === 'tool_use') toolNames.set(block.id, block.name);
      const onlyText = blocks.every((block) => block.type === 'text');
      if (onlyText) return { role: 'assistant', content: blocks.map((block) => (block as { text: string }).text).join('') };
      return { role: 'assistant', content: blocks.map(assistantPart) };
    }
    const results = blocks.filter((block): block is ToolResultBlock => block.type === 'tool_result');
    if (results.length > 0) {
      // The spec: a user message with tool results contains only tool results.
      if (results.length !== blocks.length) {
        throw new UnsupportedContentError('A user message with tool_result content must contain only tool results');
      }
      return {
        role: 'tool',
        content: results.map((block) => ({
          type: 'tool-result' as const,
          toolCallId: block.toolUseId,
          toolName: toolNames.get(block.toolUseId) ?? 'unknown_tool',
          output: toolOutput(block),
        })),
      };
    }
    return { role: 'user', content: blocks.map(userPart) };
  });
}

/** The server's tools as AI SDK tools without `execute`: the model's calls come back to the server. */
export function toToolSet(tools: CreateMessageParams['tools']): ToolSet | undefined {
  if (!tools?.length) return undefined;
  const set: ToolSet = {};
  for (const tool of tools) {
    const { inputSchema, description } = tool as { inputSchema?: unknown; description?: unknown };
    set[tool.name] = {
      description: typeof description === 'string' ? description : undefined,
      inputSchema: jsonSchema(
        inputSchema && typeof inputSchema === 'object' ? (inputSchema as Parameters<typeof jsonSchema>[0]) : { type: 'object' },
      ),
    };
  }
  return set;
}

/** MCP `toolChoice.mode` (auto | required | none) as the AI SDK's tool choice. */
export function toToolChoice(choice: CreateMessageParams['toolChoice']): 'auto' | 'required' | 'none' | undefined {
  const mode = choice?.mode;
  return mode === 'auto' || mode === 'required' || mode === 'none' ? mode : undefined;
}

/**
 * Maps the AI SDK's finish reason to MCP's `stopReason`. The SDK folds a stop sequence into `stop`;
 * `byStopSequence` is what the provider's API said about it (stop-sequence.ts).
 */
export function toStopReason(reason: FinishReason, byStopSequence = false): string {
  if (byStopSequence && reason === 'stop') return 'stopSequence';
  switch (reason) {
    case 'length':
      return 'maxTokens';
    case 'tool-calls':
      return 'toolUse';
    case 'content-filter':
      return 'contentFilter';
    default:
      return 'endTurn';
  }
}
