/**
 * The editable copy of a sampling request, and its conversion back to `CreateMessageParams`.
 * Numbers stay strings while the user types; they are validated only when approving.
 */
import type { Generation, ModelRef, PendingSampling } from '../../../shared/domain';
import { contentBlocks, type CreateMessageParams, type Role, type SamplingContent, type SamplingMessage } from '../../../shared/mcp';
import { modelKey } from './models';

export type Phase = 'editing' | 'generating' | 'answer' | 'error';

export interface DraftMessage {
  /** Stable React key. */
  key: number;
  role: Role;
  blocks: SamplingContent[];
  /** Whether the original content was an array (kept as an array when sent back). */
  wasArray: boolean;
  /** Other fields of the original message (e.g. `_meta`), passed through untouched. */
  extra: Record<string, unknown>;
  /** What the server sent for this message (absent for a message the user added): the "edited" tag and "Show changes" compare with it. */
  original?: { index: number; role: Role; text: string };
}

export interface RequestDraft {
  messages: DraftMessage[];
  systemPrompt: string;
  maxTokens: string;
  temperature: string;
  stopSequences: string;
  modelKey: string;
  /** includeContext thisServer/allServers: whether to keep the context Sluice offers (shown in the dialog). */
  keepContext: boolean;
  phase: Phase;
  /** Text streamed so far by the current generation. */
  streamed: string;
  /** The answer the user may edit before sending. */
  answer: string;
  generation?: Generation;
  /** The model the current answer came from (kept even if the picker changes afterwards). */
  generatedWith?: ModelRef;
  /** Set when the user pressed Stop: the answer is partial. */
  stopped: boolean;
  startedAt?: number;
  finishedAt?: number;
  /** Incremented per generation so late results of an older one are ignored. */
  run: number;
  error?: string;
  /** Validation problem of the edited params, shown next to the Approve button. */
  formError?: string;
  /** The field `formError` is about (it shows the error under itself too). */
  formErrorField?: ParamField;
  /** A Send / Reject / Stop call in flight. */
  busy?: 'sending' | 'rejecting' | 'stopping';
  actionError?: string;
}

let nextKey = 1;

/** `fromServer`: the message's index in the server's request (kept to tell the user's edits apart). */
export function draftMessage(message: SamplingMessage, fromServer?: number): DraftMessage {
  const { role, content, ...extra } = message;
  const blocks = contentBlocks(content).map((block) => ({ ...block }));
  // Every message gets a text field, even an image-only one (an empty added block is dropped again).
  if (!blocks.some((b) => b.type === 'text')) blocks.push({ type: 'text', text: '' });
  const draft: DraftMessage = { key: nextKey++, role, blocks, wasArray: Array.isArray(content), extra };
  if (fromServer !== undefined) draft.original = { index: fromServer, role, text: blocksText(blocks) };
  return draft;
}

/** A message's blocks as one text: text blocks as they are, other blocks as `[type]`. */
export function blocksText(blocks: SamplingContent[]): string {
  return blocks.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
}

/** Whether the user changed a message the server sent (or added it). */
export function messageEdited(message: DraftMessage): boolean {
  return !message.original || message.role !== message.original.role || blocksText(message.blocks) !== message.original.text;
}

export function createDraft(request: PendingSampling): RequestDraft {
  const p = request.params;
  return {
    messages: p.messages.map((m, index) => draftMessage(m, index)),
    systemPrompt: p.systemPrompt ?? '',
    maxTokens: String(p.maxTokens),
    temperature: p.temperature === undefined ? '' : String(p.temperature),
    stopSequences: (p.stopSequences ?? []).join('\n'),
    modelKey: modelKey(request.suggestedModel),
    keepContext: true,
    phase: 'editing',
    streamed: '',
    answer: '',
    stopped: false,
    run: 0,
  };
}

export function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.length > 0);
}

/** Builds the params to generate with, or explains what is wrong with the edits. */
/** The param a form error is about, so the field can point at its error (`aria-describedby`). */
export type ParamField = 'maxTokens' | 'temperature';

export function buildParams(
  original: CreateMessageParams,
  draft: RequestDraft,
): { params: CreateMessageParams } | { error: string; field?: ParamField } {
  const maxTokens = Number(draft.maxTokens.trim());
  if (draft.maxTokens.trim() === '' || !Number.isInteger(maxTokens) || maxTokens <= 0) {
    return { error: 'Max tokens must be a whole number greater than 0.', field: 'maxTokens' };
  }
  let temperature: number | undefined;
  if (draft.temperature.trim() !== '') {
    temperature = Number(draft.temperature.trim());
    if (!Number.isFinite(temperature) || temperature < 0)
      return { error: 'Temperature must be a number of 0 or more (leave it empty to unset it).', field: 'temperature' };
  }
  if (draft.messages.length === 0) return { error: 'Add at least one message.' };

  const messages = draft.messages.map((m) => {
    let blocks = m.blocks.filter((b) => !(b.type === 'text' && b.text === '' && m.blocks.length > 1));
    if (blocks.length === 0) blocks = [{ type: 'text', text: '' }];
    const content = blocks.length === 1 && !m.wasArray ? blocks[0]! : blocks;
    return { ...m.extra, role: m.role, content };
  });

  const params: CreateMessageParams = { ...original, messages, maxTokens };
  if (draft.systemPrompt === '') delete params.systemPrompt;
  else params.systemPrompt = draft.systemPrompt;
  if (temperature === undefined) delete params.temperature;
  else params.temperature = temperature;
  const stops = splitLines(draft.stopSequences);
  if (stops.length === 0) delete params.stopSequences;
  else params.stopSequences = stops;
  return { params };
}

/** Whether a field differs from what the server sent (to mark it as edited). */
export function editedFields(original: CreateMessageParams, draft: RequestDraft) {
  return {
    systemPrompt: draft.systemPrompt !== (original.systemPrompt ?? ''),
    maxTokens: draft.maxTokens.trim() !== String(original.maxTokens),
    temperature: draft.temperature.trim() !== (original.temperature === undefined ? '' : String(original.temperature)),
    stopSequences: splitLines(draft.stopSequences).join('\n') !== (original.stopSequences ?? []).join('\n'),
  };
}

/** The text of a result's content blocks, joined (what the Answer box edits). */
export function resultText(content: CreateMessageParams['messages'][number]['content']): string {
  return contentBlocks(content)
    .filter((b): b is Extract<SamplingContent, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

/**
 * The content to send: exactly what the model produced when the user left the text alone;
 * otherwise the edited text, followed by the model's non-text blocks (tool calls, images), which
 * the text box does not edit.
 */
export function answerContent(
  generated: CreateMessageParams['messages'][number]['content'] | undefined,
  answer: string,
): SamplingMessage['content'] {
  if (!generated) return { type: 'text', text: answer };
  if (answer === resultText(generated)) return generated;
  const others = contentBlocks(generated).filter((b) => b.type !== 'text');
  if (others.length === 0) return { type: 'text', text: answer };
  return answer === '' ? others : [{ type: 'text', text: answer }, ...others];
}

/** The model's non-text answer blocks (tool calls, images, audio), shown read-only next to the text. */
export function nonTextBlocks(content: CreateMessageParams['messages'][number]['content'] | undefined): SamplingContent[] {
  return content ? contentBlocks(content).filter((b) => b.type !== 'text') : [];
}

/**
 * The request as the user edited it, as plain text (system prompt, messages, any answer): what
 * "Copy my edits" puts on the clipboard when the server gave up while the dialog was open.
 */
export function draftAsText(draft: RequestDraft): string {
  const parts: string[] = [];
  if (draft.systemPrompt.trim()) parts.push(`System prompt:\n${draft.systemPrompt}`);
  for (const message of draft.messages) {
    parts.push(`${message.role}:\n${blocksText(message.blocks)}`);
  }
  if (draft.answer.trim()) parts.push(`Answer:\n${draft.answer}`);
  return parts.join('\n\n');
}
