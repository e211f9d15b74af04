import { contentBlocks, type SamplingMessage } from '../../../../shared/mcp';

/** The first text of a conversation, for one-line previews. */
export function firstText(messages: SamplingMessage[]): string {
  for (const message of messages) {
    for (const block of contentBlocks(message.content)) {
      if (block.type === 'text' && block.text.trim()) {
        const text = block.text.trim().replace(/\s+/g, ' ');
        return text.length > 200 ? `${text.slice(0, 200)}…` : text;
      }
    }
  }
  return '';
}

export function compactJson(value: unknown, max = 120): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
