/** Describes, for the history, what the user changed between the server's params and the approved ones. */
import { contentBlocks, type CreateMessageParams, type SamplingMessage } from '../../../shared/mcp.js';

const show = (value: unknown) => (value === undefined ? '(unset)' : JSON.stringify(value));

function messageText(message: SamplingMessage): string {
  return contentBlocks(message.content)
    .map((block) => (block.type === 'text' ? block.text : `[${block.type}]`))
    .join('\n');
}

export function describeEdits(original: CreateMessageParams, approved: CreateMessageParams): string[] {
  const edits: string[] = [];
  for (const key of ['systemPrompt', 'maxTokens', 'temperature', 'stopSequences', 'includeContext'] as const) {
    if (JSON.stringify(original[key]) !== JSON.stringify(approved[key])) {
      edits.push(`${key}: ${show(original[key])} → ${show(approved[key])}`);
    }
  }
  const count = Math.max(original.messages.length, approved.messages.length);
  for (let index = 0; index < count; index += 1) {
    const before = original.messages[index];
    const after = approved.messages[index];
    const label = `message ${index + 1}`;
    if (!before && after) edits.push(`${label} added (${after.role}): ${show(messageText(after))}`);
    else if (before && !after) edits.push(`${label} removed (${before.role})`);
    else if (before && after) {
      if (before.role !== after.role) edits.push(`${label} role: ${before.role} → ${after.role}`);
      const [textBefore, textAfter] = [messageText(before), messageText(after)];
      if (textBefore !== textAfter) edits.push(`${label}: ${show(textBefore)} → ${show(textAfter)}`);
    }
  }
  return edits;
}
