/**
 * What the user changed in a sampling request before approving it, for the dialog's "Show
 * changes": one entry per changed field or message, each with a line diff (`- ` what the server
 * sent, `+ ` what will be sent, `  ` context). Long unchanged stretches are cut to a few lines
 * around each change, so a small edit in a long message reads as a small diff.
 */
import type { CreateMessageParams } from '../../../shared/mcp';
import { lineDiff } from '../../../shared/text-diff';
import { blocksText, editedFields, messageEdited, splitLines, type RequestDraft } from './draft';

export interface DraftChange {
  /** "System prompt", "Max tokens", "Message 2 (user)"… */
  label: string;
  kind: 'changed' | 'added' | 'removed';
  lines: string[];
}

/** Unchanged lines kept on each side of a change. */
const CONTEXT_LINES = 2;

/** The diff with unchanged runs longer than the context cut to `  …`. */
export function trimContext(lines: string[], context = CONTEXT_LINES): string[] {
  const changed = lines.map((line) => !line.startsWith('  '));
  const keep = lines.map((_, index) => {
    for (let i = Math.max(0, index - context); i <= Math.min(lines.length - 1, index + context); i++) if (changed[i]) return true;
    return false;
  });
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (out[out.length - 1] !== '  …') out.push('  …');
  });
  return out;
}

function textChange(label: string, before: string, after: string): DraftChange {
  return { label, kind: 'changed', lines: trimContext(lineDiff(before, after)) };
}

export function draftChanges(original: CreateMessageParams, draft: RequestDraft): DraftChange[] {
  const changes: DraftChange[] = [];
  const systemPrompt = original.systemPrompt ?? '';
  if (draft.systemPrompt !== systemPrompt) changes.push(textChange('System prompt', systemPrompt, draft.systemPrompt));
  const single = (label: string, before: string, after: string) => {
    if (before !== after) changes.push({ label, kind: 'changed', lines: [`- ${before || '(unset)'}`, `+ ${after || '(unset)'}`] });
  };
  single('Max tokens', String(original.maxTokens), draft.maxTokens.trim());
  single('Temperature', original.temperature === undefined ? '' : String(original.temperature), draft.temperature.trim());
  const stops = (original.stopSequences ?? []).join('\n');
  const stopsNow = splitLines(draft.stopSequences).join('\n');
  if (stops !== stopsNow) changes.push(textChange('Stop sequences', stops, stopsNow));

  const kept = new Set(draft.messages.flatMap((m) => (m.original ? [m.original.index] : [])));
  original.messages.forEach((message, index) => {
    if (!kept.has(index))
      changes.push({ label: `Message ${index + 1} (${message.role}) as sent by the server`, kind: 'removed', lines: [] });
  });
  draft.messages.forEach((message, position) => {
    if (!messageEdited(message)) return;
    const label = `Message ${position + 1} (${message.role})`;
    const text = blocksText(message.blocks);
    if (!message.original) {
      changes.push({ label, kind: 'added', lines: text.split('\n').map((line) => `+ ${line}`) });
      return;
    }
    const roleLines = message.role === message.original.role ? [] : [`- role: ${message.original.role}`, `+ role: ${message.role}`];
    const textLines = text === message.original.text ? [] : trimContext(lineDiff(message.original.text, text));
    changes.push({ label, kind: 'changed', lines: [...roleLines, ...textLines] });
  });
  return changes;
}

/** How many fields and messages differ from what the server sent (cheap: no diff), for the "Show changes" button. */
export function countEdits(original: CreateMessageParams, draft: RequestDraft): number {
  const fields = Object.values(editedFields(original, draft)).filter(Boolean).length;
  const kept = draft.messages.filter((m) => m.original).length;
  return fields + draft.messages.filter(messageEdited).length + (original.messages.length - kept);
}
