/**
 * What the store writes for one entry, whatever its kind: the indexed columns (a HistoryRow), the
 * full request and answer JSON, the rest of the entry, and the text the search index gets.
 * Sampling entries map here; gateway tool calls and elicitation answers build a record the same way.
 */
import type { HistoryEntry } from '../../../shared/domain.js';
import { HISTORY_SUMMARY_CHARS, type HistoryRow } from '../../../shared/history.js';
import { contentBlocks, type CreateMessageParams, type CreateMessageResult } from '../../../shared/mcp.js';

export interface HistoryRecord {
  row: HistoryRow;
  receivedAt?: number;
  provider?: string;
  request: unknown;
  answer: unknown;
  /** Everything else needed to rebuild the entry for its details. */
  meta: unknown;
  /** Searchable text (words only matter; it is not stored, only indexed). */
  text: string;
}

function textOf(content: CreateMessageResult['content'] | undefined): string[] {
  if (!content) return [];
  return contentBlocks(content).flatMap((block) => (block.type === 'text' ? [block.text] : []));
}

function paramsText(params: CreateMessageParams | undefined): string[] {
  if (!params) return [];
  return [params.systemPrompt ?? '', ...params.messages.flatMap((message) => textOf(message.content))];
}

export function clip(text: string, max = HISTORY_SUMMARY_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function samplingRecord(entry: HistoryEntry): HistoryRecord {
  const { originalParams, approvedParams, generated, sent, answerDiff, ...meta } = entry;
  const messages = paramsText(approvedParams ?? originalParams);
  const lastUserText = [...(approvedParams ?? originalParams).messages]
    .reverse()
    .flatMap((message) => textOf(message.content))
    .find((text) => text.trim() !== '');
  // The generated answer is indexed only when the user changed it before sending.
  const answerText = [...textOf(sent?.content), ...(entry.answerEdited || !sent ? textOf(generated?.content) : [])];
  return {
    row: {
      id: entry.id,
      kind: 'sampling',
      serverName: entry.serverName,
      decidedAt: entry.decidedAt,
      outcome: entry.outcome,
      decision: entry.decision,
      model: entry.model?.model,
      inputTokens: entry.usage?.inputTokens,
      outputTokens: entry.usage?.outputTokens,
      costUsd: entry.costUsd,
      latencyMs: entry.latencyMs,
      edits: entry.edits.length + (entry.answerEdited ? 1 : 0),
      summary: clip(lastUserText ?? entry.detail ?? ''),
    },
    receivedAt: entry.receivedAt,
    provider: entry.model?.providerId,
    request: { originalParams, approvedParams },
    answer: { generated, sent, answerDiff },
    meta,
    text: [
      entry.serverName,
      entry.outcome,
      entry.model?.model ?? '',
      entry.detail ?? '',
      ...entry.edits,
      ...messages,
      ...(approvedParams ? paramsText(originalParams) : []),
      ...answerText,
    ].join('\n'),
  };
}

/** Rebuilds a sampling entry from its stored parts (the inverse of samplingRecord). */
export function samplingEntry(meta: unknown, request: unknown, answer: unknown): unknown {
  return { ...(meta as object), ...(request as object), ...(answer as object) };
}
