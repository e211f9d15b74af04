/**
 * Translation between MCP sampling shapes and the AI SDK's provider-neutral ones, so that every
 * provider Sluice supports gets the same mapping of messages, content and stop reasons.
 */
import type { FinishReason, ModelMessage } from 'ai';
import { contentBlocks, type SamplingContent, type SamplingMessage } from '../../../shared/mcp.js';

export class UnsupportedContentError extends Error {}

function userPart(block: SamplingContent) {
  switch (block.type) {
    case 'text':
      return { type: 'text' as const, text: block.text };
    case 'image':
      return { type: 'image' as const, image: block.data, mediaType: block.mimeType };
    case 'audio':
      return { type: 'file' as const, data: block.data, mediaType: block.mimeType };
    default:
      throw new UnsupportedContentError(`"${block.type}" content in a user message is not supported by this provider yet`);
  }
}

function assistantText(block: SamplingContent): string {
  if (block.type === 'text') return block.text;
  throw new UnsupportedContentError(`"${block.type}" content in an assistant message is not supported by this provider yet`);
}

export function toModelMessages(messages: readonly SamplingMessage[]): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    const blocks = contentBlocks(message.content);
    if (message.role === 'assistant') {
      return { role: 'assistant', content: blocks.map(assistantText).join('') };
    }
    return { role: 'user', content: blocks.map(userPart) };
  });
}

/** Maps the AI SDK's finish reason to MCP's `stopReason`. */
export function toStopReason(reason: FinishReason): string {
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
