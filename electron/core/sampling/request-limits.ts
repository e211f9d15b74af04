/**
 * Limits on what a server may put in front of the user. A request past them is refused with
 * invalid params (-32602) before it reaches the queue: nobody can review 10,000 messages, and a
 * 10 MB image would stall the dialog and exceed what vision models accept anyway.
 */
import { contentBlocks, type CreateMessageParams } from '../../../shared/mcp.js';

export const SAMPLING_LIMITS = {
  maxMessages: 1_000,
  /** Decoded size of one image or audio block (the common provider limit for images is 5 MB). */
  maxMediaBytes: 5 * 1024 * 1024,
  /** All text and media together. */
  maxTotalBytes: 20 * 1024 * 1024,
} as const;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Returns why the request is over a limit, or undefined when it is acceptable. */
export function samplingLimitViolation(params: CreateMessageParams): string | undefined {
  if (params.messages.length > SAMPLING_LIMITS.maxMessages) {
    return `too many messages: ${params.messages.length} (limit ${SAMPLING_LIMITS.maxMessages})`;
  }
  let total = (params.systemPrompt ?? '').length;
  for (const [index, message] of params.messages.entries()) {
    for (const block of contentBlocks(message.content)) {
      if (block.type === 'image' || block.type === 'audio') {
        const bytes = Math.floor((block.data.length * 3) / 4);
        if (bytes > SAMPLING_LIMITS.maxMediaBytes) {
          return `${block.type} in message ${index + 1} is too large: ${megabytes(bytes)} (limit ${megabytes(SAMPLING_LIMITS.maxMediaBytes)})`;
        }
        total += bytes;
      } else if (block.type === 'text') {
        total += block.text.length;
      } else {
        // tool_use input, tool_result content (which may itself carry media) and any future block
        // type count by their serialised size: every byte a server sends is something to review.
        total += JSON.stringify(block).length;
      }
    }
  }
  if (total > SAMPLING_LIMITS.maxTotalBytes) {
    return `request is too large: ${megabytes(total)} (limit ${megabytes(SAMPLING_LIMITS.maxTotalBytes)})`;
  }
  return undefined;
}

/**
 * The spec's rules for tool results in a sampling request (2025-11-25): a user message with tool
 * results carries nothing else, and each result answers a `tool_use` of the assistant message just
 * before it. Returns what is wrong, or undefined. (Checked on arrival: the dialog must not open
 * for a conversation no model can continue.)
 */
export function toolResultViolation(params: CreateMessageParams): string | undefined {
  for (const [index, message] of params.messages.entries()) {
    const blocks = contentBlocks(message.content);
    const results = blocks.filter((block) => block.type === 'tool_result');
    if (results.length === 0) continue;
    if (results.length !== blocks.length) return `message ${index + 1} mixes tool results with other content`;
    const previous = index > 0 ? params.messages[index - 1] : undefined;
    const uses = new Set(
      previous?.role === 'assistant'
        ? contentBlocks(previous.content).flatMap((block) => (block.type === 'tool_use' ? [block.id] : []))
        : [],
    );
    for (const result of results) {
      if (!uses.has(result.toolUseId)) {
        return `the tool result in message ${index + 1} answers no tool_use of the message before it (toolUseId ${JSON.stringify(result.toolUseId.slice(0, 100))})`;
      }
    }
  }
  return undefined;
}
